import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { switchBackend, testBackends } from './backend.js';
import { sparseConv2d } from '../src/inference/sparse-conv2d-op.js';
import { SparseConv2D } from '../src/inference/sparse-conv2d.js';
import { SPARSE_CONV2D, DEFAULT_MAX_DENSITY } from '../src/inference/sparse-conv2d-kernel.js';
import { nonzeroFraction } from '../src/xnor/sparse-conv.js';
import { binaryKernelConfigs, registerBinaryKernels } from '../src/kernels/register_kernels.js';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { packModel } from '../src/inference/pack-model.js';
import { CASES, sparseValues } from './sparse-cases.js';

/** A sketch-like input: a few anti-aliased straight strokes on blank paper (ink 1 on 0), about 10% nonzero. */
function drawnLines(batch: number, size: number, channels = 1): tf.Tensor4D {
  const values = new Float32Array(batch * size * size * channels);
  for (let b = 0; b < batch; b++)
    for (let line = 0; line < 3; line++) {
      const [x0, y0, x1, y1] = [((b + 1) * 7 + line * 11) % size, (line * 13 + b * 5) % size, (size - 1 - line * 9) % size, ((b + line) * 17) % size];
      for (let t = 0; t <= 1; t += 0.5 / size) {
        const x = Math.round(x0 + (x1 - x0) * t);
        const y = Math.round(y0 + (y1 - y0) * t);
        for (let c = 0; c < channels; c++) values[((b * size + y) * size + x) * channels + c] = 1 - c * 0.25;
        if (x + 1 < size) values[((b * size + y) * size + x + 1) * channels] = 0.4; // anti-aliased edge
      }
    }
  return tf.tensor4d(values, [batch, size, size, channels]);
}

function maxRelativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.div(tf.max(tf.abs(tf.sub(a, b))), tf.add(1, tf.max(tf.abs(b)))).dataSync()[0]!);
}

it('SparseConv2D is registered for cpu and wasm in the one kernel list', () => {
  const backends = binaryKernelConfigs.filter((k) => k.kernelName === SPARSE_CONV2D).map((k) => k.backendName);
  expect(backends.sort()).toEqual(['cpu', 'wasm']);
});

it('runs the dense fused convolution on a backend without the kernel (as webgpu and webgl are)', async () => {
  registerBinaryKernels();
  // the cpu backend under another name, with every cpu kernel but SparseConv2D
  if (!tf.findBackend('cpu-without-sparse')) {
    tf.registerBackend('cpu-without-sparse', () => new MathBackendCPU());
    for (const k of tf.getKernelsForBackend('cpu')) if (k.kernelName !== SPARSE_CONV2D) tf.registerKernel({ ...k, backendName: 'cpu-without-sparse' });
  }
  expect(await tf.setBackend('cpu-without-sparse')).toBe(true);
  try {
    const [shape, [kh, kw], o, strides, padding, density] = CASES[1]!;
    const x = tf.tensor4d(sparseValues(shape.reduce((a, b) => a * b), density, 14), shape);
    const w = tf.tensor4d(sparseValues(kh * kw * shape[3] * o, 1, 15), [kh, kw, shape[3], o]);
    const bias = tf.tensor1d(sparseValues(o, 1, 16));
    const want = tf.relu(tf.add(tf.conv2d(x, w, strides, padding), bias));
    expect(maxRelativeError(sparseConv2d(x, w, bias, { strides, padding, activation: 'relu' }), want)).toBeLessThan(1e-5);
  } finally {
    await switchBackend('cpu');
  }
});

describe.each(testBackends)('sparseConv2d on %s', (backend) => {
  beforeAll(async () => {
    await switchBackend(backend);
  });

  // maxDensity 1: always the scatter kernel; 0: always the backend's dense FusedConv2D
  it.each([1, 0])('matches conv2d + bias + relu on every case (maxDensity %d)', (maxDensity) => {
    for (const [shape, [kh, kw], o, strides, padding, density] of CASES) {
      tf.tidy(() => {
        const x = tf.tensor4d(sparseValues(shape.reduce((a, b) => a * b), density, 11), shape);
        const w = tf.tensor4d(sparseValues(kh * kw * shape[3] * o, 1, 12), [kh, kw, shape[3], o]);
        const bias = tf.tensor1d(sparseValues(o, 1, 13));
        for (const activation of ['linear', 'relu'] as const) {
          const want = tf.add(tf.conv2d(x, w, strides, padding), bias);
          const got = sparseConv2d(x, w, bias, { strides, padding, activation, maxDensity });
          expect(got.shape).toEqual(want.shape);
          expect(maxRelativeError(got, activation === 'relu' ? tf.relu(want) : want), `${shape} ${activation}`).toBeLessThan(1e-5);
        }
        expect(maxRelativeError(sparseConv2d(x, w, undefined, { strides, padding }), tf.conv2d(x, w, strides, padding))).toBeLessThan(1e-5);
      });
    }
  });

  it('rejects bad inputs before running', () => {
    const x = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D;
    expect(() => sparseConv2d(x, tf.zeros([3, 3, 1, 4]) as tf.Tensor4D, undefined, { strides: [1, 1], padding: 'valid' })).toThrow(/expects 1 input channels/);
    expect(() => sparseConv2d(x, tf.zeros([3, 3, 2, 4]) as tf.Tensor4D, tf.zeros([3]), { strides: [1, 1], padding: 'valid' })).toThrow(/3 biases for 4 filters/);
    expect(() => sparseConv2d(x, tf.zeros([3, 3, 2, 4]) as tf.Tensor4D, undefined, { strides: [1, 1], padding: 'valid', activation: 'tanh' as 'relu' })).toThrow(/activation must be/);
  });

  it('packModel({ sparseFirstLayer }) runs conv1 sparse, predicts as the float model, and round-trips through save/load', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.conv2d({ inputShape: [48, 48, 1], filters: 12, kernelSize: 9, strides: 3, activation: 'relu', name: 'conv1', kernelInitializer: tfl.initializers.heNormal({ seed: 3 }), biasInitializer: tfl.initializers.randomNormal({ seed: 4 }) }));
    m.add(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1' }));
    m.add(tfl.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv2', kernelInitializer: tfl.initializers.heNormal({ seed: 5 }) }));
    m.add(tfl.layers.flatten({ name: 'flatten' }));
    m.add(tfl.layers.dense({ units: 5, name: 'fc', kernelInitializer: tfl.initializers.heNormal({ seed: 6 }) }));
    const { model: packed, report } = packModel(m, { sparseFirstLayer: true });
    expect(report.layers.map((l) => [l.name, l.action])).toEqual([['conv1', 'sparse-float'], ['pool1', 'copied'], ['conv2', 'copied'], ['flatten', 'copied'], ['fc', 'copied']]);
    expect(packed.getLayer('conv1')).toBeInstanceOf(SparseConv2D);
    expect(packed.getLayer('conv2')).not.toBeInstanceOf(SparseConv2D); // only the layer that reads the sketch

    let saved: tf.io.ModelArtifacts | undefined;
    await packed.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    // the same weight names as the Conv2D it replaces: 8-bit storage and loading by name treat it alike
    const conv1Specs = saved!.weightSpecs!.filter((s) => s.name.startsWith('conv1/')).map((s) => [s.name, s.shape]);
    expect(conv1Specs).toEqual([['conv1/kernel', [9, 9, 1, 12]], ['conv1/bias', [12]]]);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.getLayer('conv1')).toBeInstanceOf(SparseConv2D);

    const sketch = drawnLines(3, 48);
    const dense = tf.randomUniform([2, 48, 48, 1], 0, 1, 'float32', 8);
    // one input on each path of the kernel: scatter (sparse) and the dense fallback
    expect(nonzeroFraction(sketch.dataSync())).toBeLessThan(DEFAULT_MAX_DENSITY);
    expect(nonzeroFraction(dense.dataSync())).toBeGreaterThan(DEFAULT_MAX_DENSITY);
    for (const x of [sketch, dense]) {
      const want = m.predict(x) as tf.Tensor;
      expect(maxRelativeError(packed.predict(x) as tf.Tensor, want)).toBeLessThan(1e-5);
      expect(maxRelativeError(loaded.predict(x) as tf.Tensor, want)).toBeLessThan(1e-5);
    }
  });

  it('keeps a first layer float, with the reason, when it has no sparse form', () => {
    const m = tfl.sequential();
    m.add(tfl.layers.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, activation: 'tanh', name: 'conv1' }));
    const { model, report } = packModel(m, { sparseFirstLayer: true });
    expect(report.layers).toEqual([{ name: 'conv1', action: 'copied', why: expect.stringMatching(/activation tanh has no sparse form/) }]);
    expect(model.getLayer('conv1').getClassName()).toBe('Conv2D');
    expect(() => new SparseConv2D({ name: 'c', filters: 2, kernelSize: [3, 3], maxDensity: 2 })).toThrow(/SparseConv2D "c": maxDensity must be in \[0, 1\], got 2/);
  });
});
