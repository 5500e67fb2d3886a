// Test helpers: float64 references in plain JS, a seeded generator and finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Uniform values in [-scale, scale), kept away from 0 by `gap` so sign does not flip under a finite step. */
export function randomValues(n: number, seed: number, scale = 1, gap = 0.05): Float64Array {
  const next = lcg(seed);
  return Float64Array.from({ length: n }, () => {
    const v = (next() * 2 - 1) * scale;
    return Math.abs(v) < gap ? v + Math.sign(v || 1) * gap : v;
  });
}

/** Central finite differences of a scalar function of many variables, in float64. */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, eps = 1e-5): Float64Array {
  return x.map((_, i) => {
    const up = Float64Array.from(x);
    const down = Float64Array.from(x);
    up[i]! += eps;
    down[i]! -= eps;
    return (f(up) - f(down)) / (2 * eps);
  });
}

/** The gradient of sum(upstream * fn(x)) with respect to x, i.e. the vector-Jacobian product fn'^T upstream. */
export function vjp(fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, upstream: tf.Tensor): tf.Tensor {
  return tf.grad((v: tf.Tensor) => fn(v))(x, upstream);
}

export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const worst = Array.from(actual).reduce((max, a, i) => Math.max(max, Math.abs(a - expected[i]!)), 0);
  expect(worst, `max |actual - expected| (actual ${Array.from(actual).slice(0, 12)}, expected ${Array.from(expected).slice(0, 12)})`).toBeLessThanOrEqual(tolerance);
}

export const sign = (v: number): number => (v >= 0 ? 1 : -1);

/** Values that probe every branch: 0 and -0, +-1 exactly, just inside and just outside +-1. */
export const probes = [-2, -1.01, -1, -0.99, -0.5, -0, 0, 0.3, 0.99, 1, 1.01, 2];
