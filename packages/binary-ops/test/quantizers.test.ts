import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getQuantizer, listQuantizers, xnorInputScale } from '@sketch-xnor/binary-ops';
import { switchBackend, testBackends } from './backend.js';
import { expectAllClose, numericGradient, probes, randomValues, sign, vjp } from './reference.js';

const ones = (n: number) => new Array<number>(n).fill(1);

/** Forward values and the gradient of sum(upstream * q(x)) for a 1-D input. */
function forwardAndGradient(spec: Parameters<typeof getQuantizer>[0], values: number[], upstream = ones(values.length)) {
  const q = getQuantizer(spec);
  return tf.tidy(() => {
    const x = tf.tensor1d(values);
    return {
      y: Array.from(q.apply(x).dataSync()),
      dx: Array.from(vjp((v) => q.apply(v), x, tf.tensor1d(upstream)).dataSync()),
    };
  });
}

/** Per-output-filter mean |W| of a kernel stored row-major with `out` as its last axis. */
function filterAlphas(w: ArrayLike<number>, out: number): number[] {
  const sums = new Array<number>(out).fill(0);
  for (let i = 0; i < w.length; i++) sums[i % out]! += Math.abs(w[i]!);
  return sums.map((s) => s / (w.length / out));
}

describe.each(testBackends)('quantizers on %s', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('ste-sign: sign with sign(0) = +1, gradient 1 where |x| <= 1', () => {
    const { y, dx } = forwardAndGradient('ste-sign', probes);
    expect(y).toEqual(probes.map(sign));
    expect(dx).toEqual(probes.map((v) => (Math.abs(v) <= 1 ? 1 : 0)));
  });

  it('ste-sign: clipValue moves the gate and the gradient scales the upstream one', () => {
    const upstream = probes.map((_, i) => i - 5);
    const { dx } = forwardAndGradient({ name: 'ste-sign', clipValue: 2 }, probes, upstream);
    expect(dx).toEqual(probes.map((v, i) => (Math.abs(v) <= 2 ? upstream[i]! : 0)));
  });

  it('ste-sign: gradient equals finite differences of hardtanh away from the kinks', () => {
    const x = randomValues(40, 3, 1.8).filter((v) => Math.abs(Math.abs(v) - 1) > 1e-3);
    const upstream = randomValues(x.length, 4);
    const hardtanh = (v: Float64Array) => v.reduce((s, e, i) => s + upstream[i]! * Math.min(1, Math.max(-1, e)), 0);
    const { dx } = forwardAndGradient('ste-sign', Array.from(x), Array.from(upstream));
    expectAllClose(dx, numericGradient(hardtanh, x), 1e-4);
  });

  it('approx-sign: sign forward, gradient 2 - 2|x| for |x| < 1', () => {
    const { y, dx } = forwardAndGradient('approx-sign', probes);
    expect(y).toEqual(probes.map(sign));
    expectAllClose(dx, probes.map((v) => (Math.abs(v) < 1 ? 2 - 2 * Math.abs(v) : 0)), 1e-6);
  });

  it("approx-sign: gradient equals finite differences of Bi-Real Net's piecewise polynomial", () => {
    const x = randomValues(40, 5, 1.5, 0.01);
    const upstream = randomValues(x.length, 6);
    const approx = (v: number) => (Math.abs(v) >= 1 ? sign(v) : v * (2 - Math.abs(v)));
    const loss = (v: Float64Array) => v.reduce((s, e, i) => s + upstream[i]! * approx(e), 0);
    const { dx } = forwardAndGradient('approx-sign', Array.from(x), Array.from(upstream));
    expectAllClose(dx, numericGradient(loss, x), 1e-4);
  });

  it('xnor-input: sign with the straight-through estimator', () => {
    const { y, dx } = forwardAndGradient('xnor-input', probes);
    expect(y).toEqual(probes.map(sign));
    expect(dx).toEqual(probes.map((v) => (Math.abs(v) <= 1 ? 1 : 0)));
  });

  it.each([
    ['4-D conv kernel', [2, 3, 2, 4]],
    ['2-D dense kernel', [6, 3]],
  ])('magnitude-aware-sign: one alpha = mean |W| per output filter (%s)', (_, shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const out = shape[shape.length - 1]!;
    const w = Array.from(randomValues(size, 7, 1.5, 0));
    w[0] = 0; // sign(0) = +1
    w[1] = 1.2; // outside the STE gate
    const alphas = filterAlphas(w, out);
    const q = getQuantizer('magnitude-aware-sign');
    const y = tf.tidy(() => Array.from(q.apply(tf.tensor(w, shape)).dataSync()));
    expectAllClose(y, w.map((v, i) => alphas[i % out]! * sign(v)), 1e-6);
  });

  it("magnitude-aware-sign 'ste': gradient alpha * upstream where |W| <= 1", () => {
    const shape = [3, 3, 2, 2];
    const w = Array.from(randomValues(36, 8, 1.5));
    w[0] = 0; w[2] = 1; w[4] = -1; w[6] = 1.01;
    const upstream = Array.from(randomValues(36, 9));
    const alphas = filterAlphas(w, 2);
    const dx = tf.tidy(() =>
      Array.from(vjp((v) => getQuantizer('magnitude-aware-sign').apply(v), tf.tensor(w, shape), tf.tensor(upstream, shape)).dataSync()),
    );
    expectAllClose(dx, w.map((v, i) => (Math.abs(v) <= 1 ? alphas[i % 2]! * upstream[i]! : 0)), 1e-6);
  });

  it("magnitude-aware-sign 'full': the extra term is the exact derivative through alpha, unlike the study's + 1/n", () => {
    const shape = [2, 2, 3, 2];
    const out = 2;
    const n = 12;
    const w = randomValues(24, 10, 1.5);
    const upstream = randomValues(24, 11);
    const [full, ste] = (['full', 'ste'] as const).map((gradient) =>
      tf.tidy(() => {
        const q = getQuantizer({ name: 'magnitude-aware-sign', gradient });
        return Array.from(vjp((v) => q.apply(v), tf.tensor(Array.from(w), shape), tf.tensor(Array.from(upstream), shape)).dataSync());
      }),
    );
    // alpha(W) * sign(W) is differentiable where no W is 0: its exact derivative is the path through alpha.
    const exact = (v: Float64Array) => {
      const alphas = filterAlphas(v, out);
      return v.reduce((s, e, i) => s + upstream[i]! * alphas[i % out]! * sign(e), 0);
    };
    const throughAlpha = numericGradient(exact, w);
    expectAllClose(full!.map((g, i) => g - ste![i]!), throughAlpha, 1e-4);
    // The published rule g_j * (alpha * 1{|W_j| <= 1} + 1/n) keeps only the Jacobian's diagonal: a different vector.
    const studyRule = Array.from(w).map((v, i) => ste![i]! + upstream[i]! / n);
    const gap = Math.max(...studyRule.map((g, i) => Math.abs(g - full![i]!)));
    expect(gap).toBeGreaterThan(0.05);
  });

  it("magnitude-aware-sign 'xnor-net': g_j * (1/n + alpha * 1{|W_j| <= clip}), the study's and XNOR-Net's published rule", () => {
    const shape = [3, 2, 2, 3];
    const out = 3;
    const n = 12;
    const w = randomValues(36, 12, 1.5);
    const upstream = randomValues(36, 13);
    for (const clipValue of [1, 0.5]) {
      const dx = tf.tidy(() => {
        const q = getQuantizer({ name: 'magnitude-aware-sign', gradient: 'xnor-net', clipValue });
        return Array.from(vjp((v) => q.apply(v), tf.tensor(Array.from(w), shape), tf.tensor(Array.from(upstream), shape)).dataSync());
      });
      const alphas = filterAlphas(w, out);
      const expected = Array.from(w, (v, i) => upstream[i]! * (1 / n + (Math.abs(v) <= clipValue ? alphas[i % out]! : 0)));
      expectAllClose(dx, expected, 1e-6);
    }
    expect(getQuantizer({ name: 'magnitude-aware-sign', gradient: 'xnor-net' }).getConfig()).toMatchObject({ gradient: 'xnor-net' });
    expect(() => getQuantizer({ name: 'magnitude-aware-sign', gradient: 'paper' })).toThrow(/ste.*xnor-net.*full/);
  });

  it('magnitude-aware-sign refuses a rank-1 tensor with a clear error', () => {
    expect(() => getQuantizer('magnitude-aware-sign').apply(tf.ones([3]))).toThrow(/rank >= 2.*\[3\]/);
  });

  it('dorefa activations: round((2^k-1) clip(x, 0, 1)) / (2^k-1), gradient 1 on [0, 1], halves to even', () => {
    for (const bits of [1, 2, 4]) {
      const levels = 2 ** bits - 1;
      // 0.5 is an exact tie for k = 1 and 2 (0.5, 1.5 levels); no other value is near one.
      const values = [...probes.filter((v) => v !== 0.3), 0.1, 0.25, 0.5, 0.7];
      const { y, dx } = forwardAndGradient({ name: 'dorefa', bits }, values);
      expectAllClose(y, values.map((v) => roundHalfToEven(levels * Math.min(1, Math.max(0, v))) / levels), 1e-6);
      expect(dx).toEqual(values.map((v) => (v >= 0 && v <= 1 ? 1 : 0)));
      expect(getQuantizer({ name: 'dorefa', bits }).precision).toBe(bits);
    }
  });

  it("dorefa weights (k > 1): forward per the paper's eq. 9, gradient of tanh(W) / max|tanh(W)| (STE rounding)", () => {
    const bits = 3;
    const levels = 2 ** bits - 1;
    const w = randomValues(20, 12, 2);
    const upstream = randomValues(20, 13);
    const q = getQuantizer({ name: 'dorefa', bits, mode: 'weights' });
    const [y, dx] = tf.tidy(() => {
      const x = tf.tensor(Array.from(w), [5, 4]);
      return [q.apply(x).dataSync(), vjp((v) => q.apply(v), x, tf.tensor(Array.from(upstream), [5, 4])).dataSync()];
    });
    const maxTanh = Math.max(...Array.from(w, (v) => Math.abs(Math.tanh(v))));
    expectAllClose(y!, Array.from(w, (v) => (2 * Math.round(levels * (Math.tanh(v) / (2 * maxTanh) + 0.5))) / levels - 1), 1e-5);
    const surrogate = (v: Float64Array) => {
      const m = Math.max(...Array.from(v, (e) => Math.abs(Math.tanh(e))));
      return v.reduce((s, e, i) => s + upstream[i]! * (Math.tanh(e) / m), 0);
    };
    expectAllClose(dx!, numericGradient(surrogate, w), 1e-3);
  });

  it('dorefa weights (k = 1): E|W| * sign(W), gradient straight through', () => {
    const w = [-1.5, -0.2, 0, 0.4, 2];
    const e = w.reduce((s, v) => s + Math.abs(v), 0) / w.length;
    const { y, dx } = forwardAndGradient({ name: 'dorefa', bits: 1, mode: 'weights' }, w, [1, 2, 3, 4, 5]);
    expectAllClose(y, w.map((v) => e * sign(v)), 1e-6);
    expect(dx).toEqual([1, 2, 3, 4, 5]);
  });

  it('xnorInputScale: mean |I| over channels, box-filtered over the kernel window', () => {
    const [n, h, w, c] = [2, 6, 5, 3];
    const input = randomValues(n * h * w * c, 14, 2, 0);
    for (const [padding, stride] of [['valid', 1], ['same', 2], ['same', 1]] as const) {
      const k = tf.tidy(() =>
        xnorInputScale(tf.tensor4d(Array.from(input), [n, h, w, c]), { kernelSize: 3, strides: stride, padding }),
      );
      expect(k.shape).toEqual(expectedScaleShape(n, h, w, 3, stride, padding));
      expectAllClose(k.dataSync(), referenceScale(input, [n, h, w, c], 3, stride, padding), 1e-5);
      k.dispose();
    }
  });

  it('no scheme leaks tensors in forward or backward', () => {
    const x = tf.tensor2d([[-2, -0.5], [0, 0.7], [1, 3]]);
    tf.dispose(tf.onesLike(x)); // warm up so the count below holds only what the schemes leave
    const before = tf.memory().numTensors;
    for (const name of listQuantizers()) {
      const q = getQuantizer(name);
      tf.dispose(q.apply(x));
      tf.tidy(() => {
        vjp((v) => q.apply(v), x, tf.onesLike(x));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

function roundHalfToEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function outSize(size: number, k: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - k + 1) / stride);
}

function expectedScaleShape(n: number, h: number, w: number, k: number, stride: number, padding: 'valid' | 'same') {
  return [n, outSize(h, k, stride, padding), outSize(w, k, stride, padding), 1];
}

/** K by the paper's definition, with loops: A = mean_c |I|, K = A conv (1/k^2), zero 'same' padding. */
function referenceScale(input: Float64Array, [n, h, w, c]: number[], k: number, stride: number, padding: 'valid' | 'same'): number[] {
  const oh = outSize(h!, k, stride, padding);
  const ow = outSize(w!, k, stride, padding);
  const padTop = padding === 'same' ? Math.floor(Math.max((oh - 1) * stride + k - h!, 0) / 2) : 0;
  const padLeft = padding === 'same' ? Math.floor(Math.max((ow - 1) * stride + k - w!, 0) / 2) : 0;
  const a = (b: number, y: number, x: number) => {
    if (y < 0 || y >= h! || x < 0 || x >= w!) return 0;
    let s = 0;
    for (let ch = 0; ch < c!; ch++) s += Math.abs(input[((b * h! + y) * w! + x) * c! + ch]!);
    return s / c!;
  };
  const out: number[] = [];
  for (let b = 0; b < n!; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let s = 0;
        for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) s += a(b, oy * stride - padTop + dy, ox * stride - padLeft + dx);
        out.push(s / (k * k));
      }
  return out;
}
