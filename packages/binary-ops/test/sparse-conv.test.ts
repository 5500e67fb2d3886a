import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { hasWasmSimd } from '../src/xnor/xnor-gemm.js';
import { scatterConv2d, sparseConvGeometry, sparseConvKernel, nonzeroFraction } from '../src/xnor/sparse-conv.js';
import { CASES, sparseValues, type Case } from './sparse-cases.js';

function reference(x: Float32Array, k: Float32Array, bias: Float32Array, c: Case, relu: boolean): Float32Array {
  const [shape, [kh, kw], o, strides, padding] = c;
  return tf.tidy(() => {
    const y = tf.add(tf.conv2d(tf.tensor4d(x, shape), tf.tensor4d(k, [kh, kw, shape[3], o]), strides, padding), tf.tensor1d(bias));
    return (relu ? tf.relu(y) : y).dataSync() as Float32Array;
  });
}

function expectClose(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(1e-5);
}

describe('scatter convolution (sparse conv2d)', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
  });

  const implementations = [
    ['TypeScript', (x: Float32Array, k: Float32Array, b: Float32Array, g: ReturnType<typeof sparseConvGeometry>, relu: boolean) => scatterConv2d(x, k, b, g, relu)],
    ['wasm scalar', (x: Float32Array, k: Float32Array, b: Float32Array, g: ReturnType<typeof sparseConvGeometry>, relu: boolean) => sparseConvKernel({ simd: false }).run(x, k, b, g, relu)],
    ...(hasWasmSimd()
      ? ([['wasm SIMD', (x: Float32Array, k: Float32Array, b: Float32Array, g: ReturnType<typeof sparseConvGeometry>, relu: boolean) => sparseConvKernel({ simd: true }).run(x, k, b, g, relu)]] as const)
      : []),
  ] as const;

  describe.each(implementations)('%s', (_name, run) => {
    it.each(CASES)('matches tf.conv2d: input %j, kernel %j, %i out, strides %j, %s, density %d', (...c) => {
      const [shape, [kh, kw], o, strides, padding, density] = c;
      const x = sparseValues(shape.reduce((a, b) => a * b), density, 1);
      const k = sparseValues(kh * kw * shape[3] * o, 1, 2);
      const bias = sparseValues(o, 1, 3);
      const g = sparseConvGeometry(shape, [kh, kw, shape[3], o], strides, padding);
      for (const relu of [false, true]) expectClose(run(x, k, bias, g, relu), reference(x, k, bias, c, relu));
    });
  });

  it('the wasm kernel writes into a caller view and reuses its memory across sizes', () => {
    const kernel = sparseConvKernel();
    const big = CASES[0]!;
    const small = CASES[1]!;
    for (const c of [big, small, big]) {
      const [shape, [kh, kw], o, strides, padding] = c;
      const x = sparseValues(shape.reduce((a, b) => a * b), 0.2, 4);
      const k = sparseValues(kh * kw * shape[3] * o, 1, 5);
      const g = sparseConvGeometry(shape, [kh, kw, shape[3], o], strides, padding);
      const view = new Float32Array(g.n * g.outH * g.outW * g.o + 3).fill(7);
      kernel.run(x, k, undefined, g, false, view.subarray(1));
      expect(view[0]).toBe(7);
      expect(view.at(-1)).toBe(7);
      expectClose(view.subarray(1, view.length - 2), reference(x, k, new Float32Array(o), c, false));
    }
  });

  it('rejects mismatched shapes with the sizes in the message', () => {
    expect(() => sparseConvGeometry([1, 9, 9, 2], [3, 3, 1, 4], [1, 1], 'valid')).toThrow(/expects 1 input channels, the input \[1,9,9,2\] has 2/);
    expect(() => sparseConvGeometry([1, 4, 4, 1], [5, 5, 1, 4], [1, 1], 'valid')).toThrow(/5x5 'valid' window does not fit the 4x4 input/);
    expect(() => sparseConvGeometry([1, 9, 9, 1], [3, 3, 1, 4], [0, 1], 'valid')).toThrow(/strides must be positive integers/);
    const g = sparseConvGeometry([1, 9, 9, 1], [3, 3, 1, 4], [1, 1], 'valid');
    expect(() => sparseConvKernel().run(new Float32Array(80), new Float32Array(36), undefined, g, false)).toThrow(/got 80 inputs/);
  });

  it('counts the nonzero fraction', () => {
    expect(nonzeroFraction(Float32Array.from([0, 1, 0, -2]))).toBe(0.5);
    expect(nonzeroFraction(new Float32Array(0))).toBe(0);
  });
});
