import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { useBackend } from '@sketch-xnor/backends';

// Gradients of sum(conv2d(x, w) * r) with respect to x and w: exercises Conv2DBackpropInput and -Filter.
function convGrads(x: tf.Tensor4D, w: tf.Tensor4D, r: tf.Tensor, strides: [number, number], pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]) {
  const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(a, b, strides, pad as 'same'), r));
  const [dx, dw] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, w]);
  return { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d / scale;
}

const CASES: Array<{ x: [number, number, number, number]; w: [number, number, number, number]; s: [number, number]; pad: 'same' | 'valid' }> = [
  { x: [2, 9, 9, 3], w: [3, 3, 3, 4], s: [1, 1], pad: 'same' },
  { x: [1, 10, 7, 2], w: [5, 5, 2, 3], s: [1, 1], pad: 'valid' },
  { x: [3, 11, 11, 1], w: [4, 4, 1, 5], s: [3, 3], pad: 'valid' }, // conv1-like: big stride, unused trailing rows
  { x: [2, 8, 9, 4], w: [3, 2, 4, 2], s: [2, 2], pad: 'same' },
  { x: [1, 7, 7, 6], w: [7, 7, 6, 3], s: [1, 1], pad: 'valid' }, // fc6-like: kernel covers the input
  { x: [2, 6, 5, 3], w: [1, 1, 3, 7], s: [1, 1], pad: 'same' },
  { x: [1, 13, 12, 2], w: [3, 5, 2, 2], s: [2, 3], pad: 'same' },
];

describe('project kernels on wasm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(CASES)('conv gradients match the cpu backend: x %j w %j strides %j %s', async ({ x, w, s, pad }) => {
    const rnd = lcg(x.reduce((a, b) => a * 7 + b, 1) + w[0]);
    const xv = Float32Array.from({ length: x.reduce((a, b) => a * b) }, rnd);
    const wv = Float32Array.from({ length: w.reduce((a, b) => a * b) }, rnd);
    const run = () => {
      const y = tf.conv2d(tf.tensor4d(xv, x), tf.tensor4d(wv, w), s, pad);
      const r = tf.tensor(Float32Array.from({ length: y.size }, lcg(3)), y.shape);
      return convGrads(tf.tensor4d(xv, x), tf.tensor4d(wv, w), r, s, pad);
    };
    await useBackend('wasm');
    const got = run();
    await useBackend('cpu');
    const want = run();
    await useBackend('wasm');
    expect(maxRelDiff(got.dw, want.dw)).toBeLessThan(1e-5);
    expect(maxRelDiff(got.dx, want.dx)).toBeLessThan(1e-5);
  });

  it('filter and input gradients match finite differences', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 6 * 6 * 2 }, lcg(5)), [2, 6, 6, 2]);
    const w = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 2 * 3 }, lcg(6)), [3, 3, 2, 3]);
    const r = tf.tensor4d(Float32Array.from({ length: 2 * 6 * 6 * 3 }, lcg(7)), [2, 6, 6, 3]);
    const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(a, b, 1, 'same'), r));
    const { dx, dw } = convGrads(x, w, r, [1, 1], 'same');
    const eps = 1e-2;
    const numeric = (t: tf.Tensor4D, i: number, other: tf.Tensor4D, first: boolean) => {
      const v = t.dataSync().slice();
      v[i]! += eps;
      const plus = tf.tensor4d(v, t.shape);
      v[i]! -= 2 * eps;
      const minus = tf.tensor4d(v, t.shape);
      const fp = (first ? f(plus, other) : f(other, plus)).dataSync()[0]!;
      const fm = (first ? f(minus, other) : f(other, minus)).dataSync()[0]!;
      return (fp - fm) / (2 * eps);
    };
    for (const i of [0, 7, 20, 53]) expect(dw[i]).toBeCloseTo(numeric(w, i, x, false), 2);
    for (const i of [0, 13, 70, 143]) expect(dx[i]).toBeCloseTo(numeric(x, i, w, true), 2);
  });
});
