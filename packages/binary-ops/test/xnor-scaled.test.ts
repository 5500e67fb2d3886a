import { describe, expect, it } from 'vitest';
import { packKernel, xnorConv2dCounts, xnorConv2dScaled, scaleCounts } from '../src/xnor/xnor-conv.js';
import { packSignRows } from '../src/xnor/pack.js';
import { hasWasmSimd, xnorGemmKernel } from '../src/xnor/xnor-gemm.js';
import { sparseValues } from './sparse-cases.js';

// The fused read-out (dot * alpha + bias as the GEMM's results leave wasm memory) against the two-step reference.
describe.each([false, ...(hasWasmSimd() ? [true] : [])])('scaled XNOR output (simd %s)', (simd) => {
  it('dotScaled equals dot times scale plus shift (within float32 rounding of the product and the sum)', () => {
    const [m, n, k] = [9, 7, 300];
    const a = packSignRows(sparseValues(m * k, 1, 21), m, k);
    const b = packSignRows(sparseValues(n * k, 1, 22), n, k);
    const scale = sparseValues(n, 1, 23).map((v) => v * 3);
    const shift = sparseValues(n, 1, 24);
    const kernel = xnorGemmKernel({ simd });
    const dots = kernel.dot(a, b);
    // the bound: half an ulp of the product plus half an ulp of the sum
    const close = (got: Float32Array, withShift: boolean) => {
      expect(got.length).toBe(dots.length);
      got.forEach((v, i) => {
        const product = dots[i]! * scale[i % n]!;
        const want = product + (withShift ? shift[i % n]! : 0);
        expect(Math.abs(v - want), `value ${i}`).toBeLessThanOrEqual(1.2e-7 * (Math.abs(product) + Math.abs(want)) + 1e-30);
      });
    };
    close(kernel.dotScaled(a, b, scale, shift), true);
    close(kernel.dotScaled(a, b, scale, undefined), false);
    expect(() => kernel.dotScaled(a, b, scale.subarray(1), undefined)).toThrow(/6 scales and 0 shifts for 7 columns/);
  });

  it('xnorConv2dScaled equals scaleCounts(xnorConv2dCounts) on a same-padded, strided layer', () => {
    const shape = [2, 9, 7, 37] as [number, number, number, number];
    const [kh, kw, o] = [3, 3, 10];
    const x = sparseValues(shape.reduce((p, v) => p * v), 1, 25);
    const kernel = packKernel(sparseValues(kh * kw * shape[3] * o, 1, 26), kh, kw, shape[3], o);
    const alpha = sparseValues(o, 1, 27).map(Math.abs);
    const bias = sparseValues(o, 1, 28);
    const geometry = { strides: [2, 1] as [number, number], padding: 'same' as const, padValue: -1 as const };
    const { counts, outShape } = xnorConv2dCounts(x, shape, kernel, geometry);
    const scaled = xnorConv2dScaled(x, shape, kernel, geometry, alpha, bias);
    expect(scaled.outShape).toEqual(outShape);
    const want = scaleCounts(counts, alpha, bias);
    scaled.values.forEach((v, i) => expect(Math.abs(v - want[i]!), `value ${i}`).toBeLessThanOrEqual(1e-6 * (Math.abs(counts[i]! * alpha[i % o]!) + Math.abs(want[i]!)) + 1e-30));
  });
});
