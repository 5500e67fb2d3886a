import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
// the gradients of tf ops (tfjs-layers imports these for models; plain ops need them here)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { useBackend, originalKernel, projectKernels } from '@sketch-xnor/backends';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

const random = (shape: number[], seed: number) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, lcg(seed));

/** Gradients of sum(conv2d(x, w) * r) with respect to x and w: runs Conv2DBackpropInput and Conv2DBackpropFilter. */
function convGrads(x: tf.Tensor4D, w: tf.Tensor4D, strides: [number, number], pad: Pad) {
  return tf.tidy(() => {
    const outShape = tf.conv2d(x, w, strides, pad as 'same').shape;
    const r = tf.tensor(random(outShape, 3), outShape);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad as 'same'), r));
    const [dx, dw] = tf.grads(f)([x, w]);
    return { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array, dy: r.dataSync() as Float32Array, outShape };
  });
}

/** Largest difference relative to the largest reference value. */
function maxRelDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d / scale;
}

interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  s: [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { name: '3x3 same, batch 2', x: [2, 9, 9, 3], w: [3, 3, 3, 4], s: [1, 1], pad: 'same' },
  { name: '5x5 valid, odd sizes', x: [1, 10, 7, 2], w: [5, 5, 2, 3], s: [1, 1], pad: 'valid' },
  { name: 'conv1-like: stride 3, unused trailing rows', x: [3, 11, 11, 1], w: [4, 4, 1, 5], s: [3, 3], pad: 'valid' },
  { name: 'stride 2 same, non-square filter', x: [2, 8, 9, 4], w: [3, 2, 4, 2], s: [2, 2], pad: 'same' },
  { name: 'fc6-like: filter covers the input', x: [2, 7, 7, 6], w: [7, 7, 6, 3], s: [1, 1], pad: 'valid' },
  { name: '1x1', x: [2, 6, 5, 3], w: [1, 1, 3, 7], s: [1, 1], pad: 'same' },
  { name: 'strides 2x3 same', x: [1, 13, 12, 2], w: [3, 5, 2, 2], s: [2, 3], pad: 'same' },
  { name: 'explicit asymmetric padding', x: [2, 6, 7, 2], w: [3, 3, 2, 3], s: [1, 2], pad: [[0, 0], [1, 2], [0, 3], [0, 0]] },
];

/** Seeded random convolution shapes: batch 1-3, sizes 4-13, channels 1-6, filters 1-5 (no larger than the input), strides 1-3. */
function randomCases(count: number, seed: number): Case[] {
  const rnd = lcg(seed);
  const int = (lo: number, hi: number) => lo + Math.floor((rnd() + 0.5) * (hi - lo + 1));
  return Array.from({ length: count }, (_, i) => {
    const [h, w] = [int(4, 13), int(4, 13)];
    const x: Shape4 = [int(1, 3), h, w, int(1, 6)];
    const f: Shape4 = [int(1, Math.min(5, h)), int(1, Math.min(5, w)), x[3], int(1, 6)];
    const s: [number, number] = [int(1, 3), int(1, 3)];
    const pad = i % 2 ? 'same' : 'valid';
    return { name: `random #${i}: x ${x} filter ${f} strides ${s} ${pad}`, x, w: f, s, pad };
  });
}

describe('project kernels', () => {
  it('are listed per backend with a reason', () => {
    expect(projectKernels('wasm').map((k) => k.kernelName).sort()).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']);
    expect(projectKernels('cpu').map((k) => k.kernelName)).toEqual(['Conv2DBackpropFilter']);
    for (const k of projectKernels()) expect(k.reason.length).toBeGreaterThan(10);
  });

  it.each([...CASES, ...randomCases(8, 2024)])('wasm conv gradients match the cpu backend: $name', async ({ x, w, s, pad }) => {
    const run = () => convGrads(tf.tensor4d(random(x, 1), x), tf.tensor4d(random(w, 2), w), s, pad);
    await useBackend('wasm');
    const got = run();
    await useBackend('cpu');
    const want = run();
    expect(maxRelDiff(got.dw, want.dw)).toBeLessThan(1e-5);
    expect(maxRelDiff(got.dx, want.dx)).toBeLessThan(1e-5);
  });

  it.each(CASES)("cpu Conv2DBackpropFilter matches tfjs-backend-cpu's own: $name", async ({ x, w, s, pad }) => {
    await useBackend('cpu');
    const original = originalKernel('Conv2DBackpropFilter', 'cpu');
    expect(original).toBeDefined();
    const xs = tf.tensor4d(random(x, 1), x);
    const got = convGrads(xs, tf.tensor4d(random(w, 2), w), s, pad);
    const dy = tf.tensor(got.dy, got.outShape);
    const backend = tf.backend();
    const info = original!.kernelFunc({
      inputs: { x: xs, dy },
      backend,
      attrs: { strides: s, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: w } as never,
    }) as tf.TensorInfo;
    const want = backend.readSync(info.dataId) as Float32Array;
    backend.disposeData(info.dataId);
    expect(maxRelDiff(got.dw, want)).toBeLessThan(1e-6);
    tf.dispose([xs, dy]);
  });

  const POOLS: Array<{ name: string; x: Shape4; size: number; stride: number; pad: 'same' | 'valid' }> = [
    { name: '3/2 valid, batch 2, odd size', x: [2, 9, 9, 3], size: 3, stride: 2, pad: 'valid' },
    { name: '3/2 same, non-square', x: [1, 8, 11, 5], size: 3, stride: 2, pad: 'same' },
    { name: '2/2 valid (no overlap)', x: [3, 6, 6, 2], size: 2, stride: 2, pad: 'valid' },
    { name: '3/1 same (heavy overlap)', x: [2, 5, 6, 4], size: 3, stride: 1, pad: 'same' },
  ];

  it.each(POOLS)('wasm MaxPoolGrad matches the cpu backend: $name', async ({ x, size, stride, pad }) => {
    // ties in a window are where max-pool gradients differ most easily: make some
    const values = random(x, 9).map((v, i) => (i % 7 === 0 ? 0.25 : v));
    const run = () =>
      tf.tidy(() => {
        const xs = tf.tensor4d(values, x);
        const outShape = tf.maxPool(xs, size, stride, pad).shape;
        const r = tf.tensor(random(outShape, 4), outShape);
        return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), r)))(xs).dataSync() as Float32Array;
      });
    await useBackend('wasm');
    const got = run();
    await useBackend('cpu');
    const want = run();
    expect(maxRelDiff(got, want)).toBeLessThan(1e-6);
  });

  it.each(['wasm', 'cpu'])('filter and input gradients on %s match finite differences', async (backend) => {
    await useBackend(backend);
    const xShape: Shape4 = [2, 7, 6, 2];
    const wShape: Shape4 = [3, 3, 2, 3];
    const strides: [number, number] = [2, 1];
    const x = tf.tensor4d(random(xShape, 5), xShape);
    const w = tf.tensor4d(random(wShape, 6), wShape);
    const { dx, dw, dy, outShape } = convGrads(x, w, strides, 'same');
    const r = tf.tensor(dy, outShape);
    // float64 loss from float32 conv outputs: central differences with a step large enough for float32
    const loss = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.tidy(() => tf.sum(tf.mul(tf.conv2d(a, b, strides, 'same'), r)).dataSync()[0]!);
    const numeric = (t: tf.Tensor4D, i: number, f: (v: tf.Tensor4D) => number) => {
      const eps = 1e-2;
      const v = t.dataSync().slice();
      v[i]! += eps;
      const plus = f(tf.tensor4d(v, t.shape));
      v[i]! -= 2 * eps;
      const minus = f(tf.tensor4d(v, t.shape));
      return (plus - minus) / (2 * eps);
    };
    for (const i of [0, 7, 20, 53]) expect(dw[i]).toBeCloseTo(numeric(w, i, (v) => loss(x, v)), 2);
    for (const i of [0, 13, 70, 167]) expect(dx[i]).toBeCloseTo(numeric(x, i, (v) => loss(v, w)), 2);
    tf.dispose([x, w, r]);
  });
});
