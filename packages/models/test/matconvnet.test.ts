import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
import { MatFileError, SKETCH_A_NET_LAYERS, buildModel, importMatConvNet, initFromRun } from '@sketch-xnor/models';
import { fixtureRandom as random, matFile, toColumnMajor, type MatInput } from './mat-writer.js';
import { expectCleanOutcome, fuzzParameters, fuzzTestTimeoutMs } from '../../../test/fuzz.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const dir = mkdtempSync(join(tmpdir(), 'matconvnet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Sketch-A-Net at a sixteenth of its width (conv1 has 4 filters), 225 px, one channel, 5 classes.
const CLASSES = ['cat', 'fish', 'apple', 'house', 'tree'];
const SHAPES: Array<[number, number, number, number]> = [
  [15, 15, 1, 4],
  [5, 5, 4, 8],
  [3, 3, 8, 16],
  [3, 3, 16, 16],
  [3, 3, 16, 16],
  [7, 7, 16, 32],
  [1, 1, 32, 32],
  [1, 1, 32, 5],
];
const PADS = [0, 0, 1, 1, 1, 0, 0, 0];
const next = random(7);
/** Each conv's kernel (row-major, TF.js layout) and biases. */
const WEIGHTS = SHAPES.map((shape) => ({
  kernel: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 0.2),
  bias: Float32Array.from({ length: shape[3] }, () => next() * 0.1),
}));

type Layer = Record<string, MatInput>;
const conv = (i: number, style: 'weights' | 'filters'): Layer => {
  const filters: MatInput = { numeric: toColumnMajor(WEIGHTS[i]!.kernel, SHAPES[i]!), dims: SHAPES[i]!, storage: 'single' };
  const biases: MatInput = { numeric: WEIGHTS[i]!.bias, dims: [1, SHAPES[i]![3]], storage: 'single' };
  return {
    name: SKETCH_A_NET_LAYERS[i]!,
    type: 'conv',
    ...(style === 'weights' ? { weights: { cell: [filters, biases] } } : { filters, biases }),
    // MATLAB stores small integer-valued doubles in a smaller type: the reader widens them
    stride: { numeric: i === 0 ? [3, 3] : [1, 1], dims: [1, 2], storage: 'uint8' },
    pad: { numeric: [PADS[i]!, PADS[i]!, PADS[i]!, PADS[i]!], dims: [1, 4] },
  };
};
const relu = (name: string): Layer => ({ name, type: 'relu' });
const pool = (name: string): Layer => ({
  name,
  type: 'pool',
  method: 'max',
  pool: { numeric: [3, 3], dims: [1, 2] },
  stride: { numeric: [2, 2], dims: [1, 2] },
  pad: { numeric: [0, 0, 0, 0], dims: [1, 4] },
});
const dropout = (name: string): Layer => ({ name, type: 'dropout', rate: { numeric: [0.5], dims: [1, 1] } });

function sketchANetLayers(style: 'weights' | 'filters' = 'weights'): Layer[] {
  return [
    conv(0, style),
    relu('relu1'),
    pool('pool1'),
    conv(1, style),
    relu('relu2'),
    pool('pool2'),
    conv(2, style),
    relu('relu3'),
    conv(3, style),
    relu('relu4'),
    conv(4, style),
    relu('relu5'),
    pool('pool5'),
    conv(5, style),
    relu('relu6'),
    dropout('dropout6'),
    conv(6, style),
    relu('relu7'),
    dropout('dropout7'),
    conv(7, style),
    { name: 'loss', type: 'softmaxloss' },
  ];
}

function netFile(layers: Layer[], { compress = true, meta = true } = {}): Uint8Array {
  const net: Record<string, MatInput> = { layers: { cell: layers.map((layer) => ({ struct: layer })) } };
  if (meta) {
    net['meta'] = {
      struct: {
        classes: { struct: { name: { cell: CLASSES } } },
        normalization: { struct: { imageSize: { numeric: [225, 225, 1], dims: [1, 3] }, interpolation: 'bilinear' } },
      },
    };
  }
  return matFile({ net: { struct: net } }, { compress });
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The same network, its weights set by hand from the TF.js-layout arrays. */
function referenceModel() {
  const model = buildModel('sketch-a-net', { classes: 5, inputSize: 225, width: 1 / 16, channels: 1 });
  SKETCH_A_NET_LAYERS.forEach((layer, i) =>
    model.getLayer(layer).setWeights([tf.tensor4d(WEIGHTS[i]!.kernel, SHAPES[i]!), tf.tensor1d(WEIGHTS[i]!.bias)])
  );
  return model;
}

let input: tf.Tensor;
beforeAll(() => {
  input = tf.randomUniform([2, 225, 225, 1], 0, 1, 'float32', 3);
});
const logits = (model: { predict: (x: tf.Tensor) => tf.Tensor | tf.Tensor[] }) =>
  tf.tidy(() => Array.from((model.predict(input) as tf.Tensor).dataSync()));

describe('MatConvNet Sketch-A-Net import', () => {
  it('reads a compressed SimpleNN model: the same logits as the weights set by hand, class names from net.meta', async () => {
    const imported = await importMatConvNet(write('sketch-a-net.mat', netFile(sketchANetLayers())));
    const reference = referenceModel();
    const got = logits(imported.model);
    const want = logits(reference);
    expect(got.length).toBe(10);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(1e-3); // the comparison is not of zeros
    expect(imported.info).toEqual({
      model: 'sketch-a-net',
      options: { classes: 5, inputSize: 225, width: 1 / 16, channels: 1, dropout: 0.5 },
      classes: CLASSES,
    });
    expect(imported.layers.filter((l) => l.mappedTo).map((l) => [l.index, l.mappedTo])).toEqual(
      [1, 4, 7, 9, 11, 14, 17, 20].map((index, i) => [index, SKETCH_A_NET_LAYERS[i]])
    );
    expect(imported.normalization).toEqual({ imageSize: [225, 225, 1], interpolation: 'bilinear' });
    imported.model.dispose();
    reference.dispose();
  });

  it('reads an uncompressed model with the older filters/biases fields and no meta, and initializes a BWN net from it', async () => {
    const imported = await importMatConvNet(write('old.mat', netFile(sketchANetLayers('filters'), { compress: false, meta: false })));
    const reference = referenceModel();
    const got = logits(imported.model);
    logits(reference).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    expect(imported.info.classes).toEqual(['class-0', 'class-1', 'class-2', 'class-3', 'class-4']);
    const bwn = buildModel('sketch-a-net-bwn', imported.info.options);
    const report = await initFromRun(bwn, imported.model);
    expect(report.copied).toEqual([...SKETCH_A_NET_LAYERS]);
    [imported.model, reference, bwn].forEach((m) => m.dispose());
  });

  it('refuses what does not map, naming the file and the layer', async () => {
    const cases: Array<[string, Uint8Array, RegExp]> = [];
    const layers = sketchANetLayers();
    cases.push([
      'lrn.mat',
      netFile([...layers.slice(0, 2), { name: 'norm1', type: 'lrn' }, ...layers.slice(2)]),
      /net\.layers\{3\} \("norm1", type lrn\): a layer type Sketch-A-Net does not have/,
    ]);
    const wrongKernel = sketchANetLayers();
    const small: MatInput = { numeric: new Float64Array(3 * 3 * 4 * 8).fill(0.1), dims: [3, 3, 4, 8] };
    wrongKernel[3] = { ...conv(1, 'weights'), weights: { cell: [small, { numeric: new Float64Array(8), dims: [1, 8] }] } };
    cases.push([
      'kernel.mat',
      netFile(wrongKernel),
      /net\.layers\{4\} \("conv2", mapped to conv2\): filters \[3 3 4 8\], expected \[5 5 4 8\]/,
    ]);
    cases.push([
      'seven.mat',
      netFile(layers.filter((l) => l['name'] !== 'fc7')),
      /has 7 convolutions; Sketch-A-Net has 8.*not a Sketch-A-Net/,
    ]);
    const avg = sketchANetLayers();
    avg[2] = { ...pool('pool1'), method: 'avg' };
    cases.push(['avg.mat', netFile(avg), /net\.layers\{3\}.*pools by max 3x3.*this is avg/]);
    cases.push(['no-net.mat', matFile({ weights: { numeric: [1, 2], dims: [1, 2] } }), /has no "net" variable \(variables: weights\)/]);
    const v73 = new Uint8Array(512);
    v73.set(new TextEncoder().encode('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .'));
    cases.push(['v73.mat', v73, /MAT v7\.3 \(HDF5\).*-v7/]);
    const full = netFile(layers, { compress: false });
    cases.push(['truncated.mat', full.subarray(0, full.length - 1000), /truncated/]);
    cases.push(['text.mat', new TextEncoder().encode('{"not": "a mat file"}'.padEnd(200)), /not a MAT v5 file/]);
    for (const [name, bytes, message] of cases) {
      const path = write(name, bytes);
      const error = await importMatConvNet(path).then(
        () => undefined,
        (e: unknown) => e
      );
      expect(error, name).toBeInstanceOf(MatFileError);
      expect((error as Error).message, name).toContain(path);
      expect((error as Error).message, name).toMatch(message);
    }
    await expect(importMatConvNet(join(dir, 'absent.mat'))).rejects.toThrow(`${join(dir, 'absent.mat')} is missing`);
  });

  it(
    'mutated files, compressed or not: the model loads or a MatFileError names the file (fuzz)',
    async () => {
      for (const compress of [false, true]) {
        const original = netFile(sketchANetLayers(), { compress });
        const path = join(dir, `fuzz-${compress}.mat`);
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.record({ at: fc.nat(original.length - 1), value: fc.integer({ min: 0, max: 255 }) }), {
              minLength: 1,
              maxLength: 8,
            }),
            fc.option(fc.nat(original.length), { nil: undefined }),
            async (flips, cut) => {
              const bytes = original.slice(0, cut ?? original.length);
              for (const { at, value } of flips) if (at < bytes.length) bytes[at] = value;
              writeFileSync(path, bytes);
              const outcome = await expectCleanOutcome(() => importMatConvNet(path), path, [MatFileError]);
              if (outcome.ok) outcome.value.model.dispose();
            }
          ),
          fuzzParameters(60)
        );
      }
    },
    fuzzTestTimeoutMs(60)
  );
});
