import { describe, expect, it } from 'vitest';
import { packKernel, xnorConv2dCounts, convAxis, scaleCounts, foldBatchNormIntoSign } from '../src/xnor/xnor-conv.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const sign = (v: number) => (v >= 0 ? 1 : -1);

/** Float reference: a direct convolution of the +-1 values, padded with padValue. */
function referenceConv(
  x: Float32Array, [n, h, w, c]: number[], k: Float32Array, kh: number, kw: number, o: number,
  strides: [number, number], padding: 'same' | 'valid', padValue: number,
) {
  const ry = convAxis(h, kh, strides[0], padding);
  const rx = convAxis(w, kw, strides[1], padding);
  const out = new Int32Array(n * ry.out * rx.out * o);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < ry.out; oy++)
      for (let ox = 0; ox < rx.out; ox++)
        for (let f = 0; f < o; f++, i++) {
          let s = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++)
              for (let ci = 0; ci < c; ci++) {
                const iy = oy * strides[0] + ky - ry.padBefore;
                const ix = ox * strides[1] + kx - rx.padBefore;
                const v = iy < 0 || iy >= h || ix < 0 || ix >= w ? padValue : sign(x[((b * h + iy) * w + ix) * c + ci]);
                s += v * sign(k[((ky * kw + kx) * c + ci) * o + f]);
              }
          out[i] = s;
        }
  return out;
}

describe('xnorConv2dCounts', () => {
  const cases: Array<[number[], number, number, number, [number, number], 'same' | 'valid', 1 | -1]> = [
    [[1, 5, 5, 1], 3, 3, 2, [1, 1], 'same', 1],
    [[2, 7, 6, 3], 3, 3, 5, [1, 1], 'same', -1],
    [[1, 9, 9, 33], 3, 3, 4, [2, 2], 'same', -1],
    [[2, 8, 7, 64], 5, 5, 3, [1, 1], 'valid', 1],
    [[1, 6, 6, 31], 2, 3, 7, [2, 1], 'same', 1],
    [[1, 13, 13, 70], 3, 3, 9, [1, 1], 'same', -1],
    [[1, 4, 4, 5], 4, 4, 6, [1, 1], 'valid', 1],
  ];
  it.each(cases)('matches a float convolution of +-1 values bit-exactly: x %j k %ix%i o %i strides %j %s pad %i', (shape, kh, kw, o, strides, padding, padValue) => {
    const rnd = lcg(shape.reduce((a, b) => a * 31 + b, kh * 7 + o));
    const [n, h, w, c] = shape;
    const x = Float32Array.from({ length: n * h * w * c }, () => (rnd() < 0.1 ? 0 : rnd() - 0.5));
    const k = Float32Array.from({ length: kh * kw * c * o }, () => rnd() - 0.5);
    const { counts, outShape } = xnorConv2dCounts(x, shape as [number, number, number, number], packKernel(k, kh, kw, c, o), { strides, padding, padValue });
    const ref = referenceConv(x, shape, k, kh, kw, o, strides, padding, padValue);
    expect(outShape[3]).toBe(o);
    expect(outShape[0] * outShape[1] * outShape[2] * outShape[3]).toBe(ref.length);
    expect(Array.from(counts)).toEqual(Array.from(ref));
  });

  it('scales per output channel and adds the bias', () => {
    expect(Array.from(scaleCounts(new Int32Array([3, -1, 2, 4]), [0.5, 2], [1, 0]))).toEqual([2.5, -2, 2, 8]);
  });

  it('rejects mismatched channels and too-small inputs', () => {
    const k = packKernel(new Float32Array(3 * 3 * 2 * 1), 3, 3, 2, 1);
    expect(() => xnorConv2dCounts(new Float32Array(9), [1, 3, 3, 1], k, { strides: [1, 1], padding: 'valid', padValue: 1 })).toThrow(/1 channels, kernel expects 2/);
    expect(() => xnorConv2dCounts(new Float32Array(8), [1, 2, 2, 2], k, { strides: [1, 1], padding: 'valid', padValue: 1 })).toThrow(/smaller than the 3x3 kernel/);
  });
});

describe('foldBatchNormIntoSign', () => {
  it('gives the sign of BatchNorm(x) for positive, negative and zero scales, 0 -> +1', () => {
    const gamma = [2, -1.5, 0, 0, 0.5];
    const beta = [0.3, -0.2, 0.1, -0.1, 0];
    const mean = [0.1, -0.4, 0, 0, 1];
    const variance = [1.5, 0.25, 1, 1, 4];
    const eps = 1e-3;
    const fold = foldBatchNormIntoSign(gamma, beta, mean, variance, eps);
    const probe = [-3, -1, -0.5, -0.1, 0, 0.05, 0.1, 0.5, 1, 2, 3];
    // Include each threshold itself: BN output is ~0 there, and sign(0) = +1.
    for (let c = 0; c < gamma.length; c++) {
      for (const x of [...probe, fold.threshold[c]]) {
        if (!Number.isFinite(x)) continue;
        const y = (gamma[c] * (x - mean[c])) / Math.sqrt(variance[c] + eps) + beta[c];
        const expectedNegative = y < -1e-6;
        if (Math.abs(y) <= 1e-6 && x !== fold.threshold[c]) continue; // too close to call in float
        const t = fold.threshold[c];
        const negative = fold.negate[c] ? x > t : x < t;
        expect(negative, `channel ${c}, x = ${x}, y = ${y}`).toBe(expectedNegative);
      }
    }
  });

  it('gamma = 0: BatchNorm outputs beta exactly, so beta = 0 gives sign(0) = +1 for every x, beta < 0 gives -1', () => {
    const fold = foldBatchNormIntoSign([0, 0, 0], [0, -0, -0.25], [0.3, -2, 1], [1, 0.5, 2], 1e-3);
    for (const x of [-1e30, -3, -0.3, 0, 0.3, 3, 1e30]) {
      for (let c = 0; c < 3; c++) {
        const negative = fold.negate[c] ? x > fold.threshold[c]! : x < fold.threshold[c]!;
        expect(negative, `channel ${c}, x = ${x}`).toBe(c === 2);
      }
    }
  });

  it('folded into the conv, equals binarizing BatchNorm(x) first', () => {
    const rnd = lcg(5);
    const shape: [number, number, number, number] = [1, 6, 6, 40];
    const x = Float32Array.from({ length: 6 * 6 * 40 }, () => rnd() * 4 - 2);
    const g = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (0.5 + rnd()));
    const b = Array.from({ length: 40 }, () => rnd() - 0.5);
    const m = Array.from({ length: 40 }, () => rnd() - 0.5);
    const v = Array.from({ length: 40 }, () => 0.5 + rnd());
    const bn = x.map((val, i) => { const c = i % 40; return (g[c] * (val - m[c])) / Math.sqrt(v[c] + 1e-3) + b[c]; });
    const k = packKernel(Float32Array.from({ length: 3 * 3 * 40 * 8 }, () => rnd() - 0.5), 3, 3, 40, 8);
    const geometry = { strides: [1, 1] as [number, number], padding: 'same' as const, padValue: -1 as const };
    const direct = xnorConv2dCounts(bn, shape, k, geometry).counts;
    const folded = xnorConv2dCounts(x, shape, k, { ...geometry, thresholds: foldBatchNormIntoSign(g, b, m, v, 1e-3) }).counts;
    expect(Array.from(folded)).toEqual(Array.from(direct));
  });
});
