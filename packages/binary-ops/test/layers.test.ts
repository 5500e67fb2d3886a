import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D, QuantDense, clipLatentWeights, xnorInputScale, type QuantConv2DArgs } from '@sketch-xnor/binary-ops';
import { switchBackend, testBackends } from './backend.js';
import { expectAllClose, randomValues, sign } from './reference.js';

type Shape4 = [number, number, number, number];

/** A float64 NHWC conv with explicit padding (pad value `padValue`), the reference for QuantConv2D. */
function referenceConv(
  x: ArrayLike<number>,
  [n, h, w, c]: Shape4,
  kernel: ArrayLike<number>,
  [kh, kw, , o]: Shape4,
  stride: number,
  pads: { top: number; left: number; outH: number; outW: number; value: number },
): number[] {
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < pads.outH; oy++)
      for (let ox = 0; ox < pads.outW; ox++)
        for (let f = 0; f < o; f++) {
          let s = 0;
          for (let dy = 0; dy < kh; dy++)
            for (let dx = 0; dx < kw; dx++) {
              const y = oy * stride + dy - pads.top;
              const xx = ox * stride + dx - pads.left;
              const inside = y >= 0 && y < h && xx >= 0 && xx < w;
              for (let ch = 0; ch < c; ch++) {
                const v = inside ? x[((b * h + y) * w + xx) * c + ch]! : pads.value;
                s += v * kernel[((dy * kw + dx) * c + ch) * o + f]!;
              }
            }
          out.push(s);
        }
  return out;
}

/** alpha_f * sign(W) per output filter (the last axis), in float64. */
function referenceBinaryKernel(w: ArrayLike<number>, out: number): number[] {
  const alphas = new Array<number>(out).fill(0);
  for (let i = 0; i < w.length; i++) alphas[i % out]! += Math.abs(w[i]!) / (w.length / out);
  return Array.from(w, (v, i) => alphas[i % out]! * sign(v));
}

const inputShape: Shape4 = [2, 6, 5, 3];
const kernelShape: Shape4 = [3, 3, 3, 4];
const x = randomValues(inputShape.reduce((a, b) => a * b), 21, 1.5, 0);
const kernel = randomValues(kernelShape.reduce((a, b) => a * b), 22, 1.2);
const bias = [0.1, -0.2, 0.3, 0];

function conv(args: Partial<QuantConv2DArgs> = {}): QuantConv2D {
  const layer = new QuantConv2D({
    filters: 4,
    kernelSize: 3,
    inputQuantizer: 'ste-sign',
    kernelQuantizer: 'magnitude-aware-sign',
    ...args,
  });
  layer.build([null, ...inputShape.slice(1)]);
  layer.setWeights([tf.tensor4d(Array.from(kernel), kernelShape), tf.tensor1d(bias)]);
  return layer;
}

function withBias(values: number[]): number[] {
  return values.map((v, i) => v + bias[i % 4]!);
}

async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  // Through JSON text, as a file would carry the topology.
  const topology = JSON.parse(JSON.stringify(artifacts!.modelTopology));
  return tfl.loadLayersModel(tf.io.fromMemory({ ...artifacts!, modelTopology: topology }));
}

describe.each(testBackends)('quantized layers on %s', (backend) => {
  beforeAll(() => switchBackend(backend));

  it.each([
    ['same', 1, 1, { top: 1, left: 1, outH: 6, outW: 5 }],
    ['same', -1, 1, { top: 1, left: 1, outH: 6, outW: 5 }],
    ['same', null, 1, { top: 1, left: 1, outH: 6, outW: 5 }],
    // stride 2: 'same' pads 6 rows by (0, 1) and 5 columns by (1, 1), as TF does
    ['same', -1, 2, { top: 0, left: 1, outH: 3, outW: 3 }],
    ['valid', 1, 1, { top: 0, left: 0, outH: 4, outW: 3 }],
  ] as const)('QuantConv2D padding %s, padValue %s, stride %s: conv(pad(sign x), alpha sign W) + b', (padding, padValue, stride, geometry) => {
    const layer = conv({ padding, padValue, strides: stride });
    const y = tf.tidy(() => layer.apply(tf.tensor4d(Array.from(x), inputShape)) as tf.Tensor);
    const value = padding === 'same' && padValue !== null ? padValue : 0;
    const expected = referenceConv(x.map(sign), inputShape, referenceBinaryKernel(kernel, 4), kernelShape, stride, { ...geometry, value });
    expect(y.shape).toEqual([2, geometry.outH, geometry.outW, 4]);
    expectAllClose(y.dataSync(), withBias(expected), 1e-4);
    y.dispose();
  });

  it("QuantConv2D inputScale 'xnor': the binary conv times XNOR-Net's K of the float input, then the bias", () => {
    const layer = conv({ padding: 'same', padValue: 1, strides: 2, inputScale: 'xnor' });
    const geometry = { top: 0, left: 1, outH: 3, outW: 3, value: 1 };
    const binary = referenceConv(x.map(sign), inputShape, referenceBinaryKernel(kernel, 4), kernelShape, 2, geometry);
    tf.tidy(() => {
      const input = tf.tensor4d(Array.from(x), inputShape);
      const k = xnorInputScale(input, { kernelSize: 3, strides: 2, padding: 'same' }).dataSync();
      const expected = binary.map((v, i) => v * k[Math.floor(i / 4)]! + bias[i % 4]!);
      expectAllClose((layer.apply(input) as tf.Tensor).dataSync(), expected, 1e-4);
    });
  });

  it('QuantConv2D without quantizers is an ordinary Conv2D', () => {
    const layer = conv({ inputQuantizer: null, kernelQuantizer: null, padding: 'same' });
    const reference = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' });
    reference.build([null, ...inputShape.slice(1)]);
    reference.setWeights(layer.getWeights());
    tf.tidy(() => {
      const input = tf.tensor4d(Array.from(x), inputShape);
      expectAllClose((layer.apply(input) as tf.Tensor).dataSync(), (reference.apply(input) as tf.Tensor).dataSync(), 1e-5);
    });
  });

  it('QuantConv2D gradients: STE on the input, alpha-scaled STE on the latent kernel', () => {
    const layer = conv({ padding: 'same', padValue: 1 });
    const latent = layer.trainableWeights[0]!.read() as tf.Variable;
    tf.tidy(() => {
      const input = tf.tensor4d(Array.from(x), inputShape);
      const upstream = tf.tensor(Array.from(randomValues(2 * 6 * 5 * 4, 23)), [2, 6, 5, 4]);
      const loss = (inp: tf.Tensor) => tf.sum(tf.mul(layer.apply(inp) as tf.Tensor, upstream)) as tf.Scalar;
      const { grads } = tf.variableGrads(() => loss(input), [latent]);
      const inputGrad = tf.grad(loss)(input);
      // The same loss as a float conv of the binarized tensors: its gradients are what the STEs pass on.
      const binaryInput = tf.tensor4d(Array.from(x, sign), inputShape);
      const binaryKernel = tf.tensor4d(referenceBinaryKernel(kernel, 4), kernelShape);
      const floatLoss = (inp: tf.Tensor4D, k: tf.Tensor4D) =>
        tf.sum(tf.mul(tf.add(tf.conv2d(tf.pad(inp, [[0, 0], [1, 1], [1, 1], [0, 0]], 1), k, 1, 'valid'), bias), upstream));
      const [dInput, dKernel] = tf.grads(floatLoss as (...a: tf.Tensor[]) => tf.Tensor)([binaryInput, binaryKernel]);
      const alphas = referenceBinaryKernel(kernel, 4).map((v) => Math.abs(v));
      const expectedKernelGrad = Array.from(dKernel!.dataSync(), (g, i) => (Math.abs(kernel[i]!) <= 1 ? alphas[i]! * g : 0));
      expectAllClose(grads[latent.name]!.dataSync(), expectedKernelGrad, 1e-3);
      expectAllClose(inputGrad.dataSync(), Array.from(dInput!.dataSync(), (g, i) => (Math.abs(x[i]!) <= 1 ? g : 0)), 1e-4);
    });
  });

  it('QuantDense: sign(x) times alpha sign(W) plus bias, for rank-2 and rank-3 inputs', () => {
    const w = randomValues(5 * 3, 24, 1.2);
    const layer = new QuantDense({ units: 3, inputQuantizer: 'approx-sign', kernelQuantizer: 'magnitude-aware-sign' });
    layer.build([null, 5]);
    layer.setWeights([tf.tensor2d(Array.from(w), [5, 3]), tf.tensor1d([1, 2, 3])]);
    const wb = referenceBinaryKernel(w, 3);
    const input = randomValues(4 * 5, 25, 2, 0);
    const expected = Array.from({ length: 4 * 3 }, (_, k) => {
      const [r, u] = [Math.floor(k / 3), k % 3];
      let s = u + 1;
      for (let i = 0; i < 5; i++) s += sign(input[r * 5 + i]!) * wb[i * 3 + u]!;
      return s;
    });
    tf.tidy(() => {
      expectAllClose((layer.apply(tf.tensor2d(Array.from(input), [4, 5])) as tf.Tensor).dataSync(), expected, 1e-5);
      const y3 = layer.apply(tf.tensor3d(Array.from(input), [2, 2, 5])) as tf.Tensor;
      expect(y3.shape).toEqual([2, 2, 3]);
      expectAllClose(y3.dataSync(), expected, 1e-5);
    });
  });

  it('clipLatentWeights applies each layer kernelClip (nested models too) and nothing else', () => {
    const inner = tfl.sequential({
      layers: [new QuantDense({ inputShape: [4], units: 2, kernelClip: [-0.5, 0.5], kernelInitializer: tfl.initializers.constant({ value: 3 }) })],
    });
    const model = tfl.sequential({
      layers: [
        new QuantConv2D({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, kernelClip: [-1, 1], kernelInitializer: 'randomNormal', biasInitializer: tfl.initializers.constant({ value: 5 }) }),
        tfl.layers.flatten(),
        new QuantDense({ units: 4, kernelInitializer: tfl.initializers.constant({ value: -7 }) }),
        inner,
      ],
    });
    const conv = model.layers[0]!;
    conv.setWeights([tf.tensor4d([-3, -1, -0.5, 0, 0.5, 1, 2, 9, 0.25, -0.75, 4, -4, 1, 1, 1, 1, 0, 0], [3, 3, 1, 2]), tf.tensor1d([5, 5])]);
    clipLatentWeights(model);
    expect(Array.from(conv.getWeights()[0]!.dataSync())).toEqual([-1, -1, -0.5, 0, 0.5, 1, 1, 1, 0.25, -0.75, 1, -1, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(conv.getWeights()[1]!.dataSync())).toEqual([5, 5]); // bias untouched
    expect(new Set(model.layers[2]!.getWeights()[0]!.dataSync())).toEqual(new Set([-7])); // no kernelClip
    expect(new Set(inner.layers[0]!.getWeights()[0]!.dataSync())).toEqual(new Set([0.5]));
  });

  it('save / load round trip keeps quantizers (name and options), kernelClip, padValue and predictions', async () => {
    const model = tfl.sequential({
      layers: [
        new QuantConv2D({
          inputShape: [6, 5, 3],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          padValue: -1,
          kernelClip: [-1, 1],
          inputScale: 'xnor',
          inputQuantizer: { name: 'ste-sign', clipValue: 1.5 },
          kernelQuantizer: { name: 'magnitude-aware-sign', gradient: 'full' },
          name: 'binary_conv',
        }),
        tfl.layers.flatten(),
        new QuantDense({ units: 3, inputQuantizer: { name: 'dorefa', bits: 3 }, kernelQuantizer: { name: 'dorefa', bits: 2, mode: 'weights' }, kernelClip: [-2, 2], name: 'q_dense' }),
        new QuantDense({ units: 2, name: 'float_dense' }),
      ],
    });
    const loaded = await saveAndLoad(model);
    const [convA, convB] = [model, loaded].map((m) => m.getLayer('binary_conv') as QuantConv2D);
    expect(convB).toBeInstanceOf(QuantConv2D);
    expect(convB!.inputQuantizer!.getConfig()).toEqual({ name: 'ste-sign', clipValue: 1.5 });
    expect(convB!.kernelQuantizer!.getConfig()).toEqual({ name: 'magnitude-aware-sign', clipValue: 1, gradient: 'full' });
    expect(convB!.padValue).toBe(-1);
    expect(convB!.kernelClip).toEqual([-1, 1]);
    expect(convB!.inputScale).toBe('xnor');
    expect(convB!.getConfig()).toEqual(convA!.getConfig());
    for (const name of ['q_dense', 'float_dense']) {
      expect(loaded.getLayer(name)).toBeInstanceOf(QuantDense);
      expect(loaded.getLayer(name).getConfig()).toEqual(model.getLayer(name).getConfig());
    }
    expect((loaded.getLayer('float_dense') as QuantDense).kernelQuantizer).toBeNull();
    tf.tidy(() => {
      const input = tf.tensor4d(Array.from(x), inputShape);
      expectAllClose((loaded.predict(input) as tf.Tensor).dataSync(), (model.predict(input) as tf.Tensor).dataSync(), 1e-6);
    });
  });

  it('bad layer options fail with errors that name the layer and the problem', () => {
    expect(() => new QuantConv2D({ filters: 1, kernelSize: 3, kernelQuantizer: 'sgn', name: 'c1' })).toThrow(
      /QuantConv2D "c1": kernelQuantizer: Unknown quantizer "sgn". Known quantizers: approx-sign, dorefa, magnitude-aware-sign, ste-sign, xnor-input/,
    );
    expect(() => new QuantDense({ units: 1, inputQuantizer: { name: 'dorefa', bits: 40 }, name: 'd1' })).toThrow(
      'QuantDense "d1": inputQuantizer: Invalid config for quantizer "dorefa": option "bits" must be an integer from 1 to 16, got 40',
    );
    expect(() => new QuantConv2D({ filters: 1, kernelSize: 3, kernelClip: [1, -1], name: 'c2' })).toThrow(
      'QuantConv2D "c2": kernelClip must be [min, max] with finite min < max, got [1,-1]',
    );
    expect(() => new QuantConv2D({ filters: 1, kernelSize: 3, padValue: '1' as never, name: 'c3' })).toThrow(/QuantConv2D "c3": padValue must be a finite number or null, got "1"/);
    expect(() => new QuantConv2D({ filters: 1, kernelSize: 3, dataFormat: 'channelsFirst', name: 'c4' })).toThrow(/channelsLast/);
    expect(() => new QuantConv2D({ filters: 1, kernelSize: 3, inputScale: 'K' as never, name: 'c5' })).toThrow(`QuantConv2D "c5": inputScale must be 'xnor' or null, got "K"`);
  });
});
