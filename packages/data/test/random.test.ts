import { describe, expect, it } from 'vitest';
import { createRng, type RngState } from '../src/index.js';

const draws = (rng: { next(): number }, n: number) => Array.from({ length: n }, () => rng.next());

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for nearby seeds', () => {
    expect(draws(createRng(42), 20)).toEqual(draws(createRng(42), 20));
    const a = draws(createRng(1), 20);
    const b = draws(createRng(2), 20);
    expect(a.filter((v, i) => v === b[i])).toHaveLength(0);
    // Seeds differing only above 32 bits are different seeds.
    expect(draws(createRng(2 ** 32), 5)).not.toEqual(draws(createRng(0), 5));
  });

  it('resumes exactly from a saved (JSON) state', () => {
    const rng = createRng(7);
    draws(rng, 13);
    const saved = JSON.parse(JSON.stringify(rng.getState())) as RngState;
    const expected = draws(rng, 10);
    expect(draws(createRng(saved), 10)).toEqual(expected);
    rng.setState(saved);
    expect(draws(rng, 10)).toEqual(expected);
    expect(() => rng.setState([1, 2, 3] as unknown as RngState)).toThrow(/four unsigned 32-bit/);
  });

  it('forks independent, reproducible streams without advancing the parent', () => {
    const parent = createRng(3);
    const before = parent.getState();
    const first = draws(parent.fork(1), 10);
    expect(parent.getState()).toEqual(before);
    expect(draws(parent.fork(1), 10)).toEqual(first);
    const second = draws(parent.fork(2), 10);
    expect(second.filter((v, i) => v === first[i])).toHaveLength(0);
    expect(draws(parent, 10).filter((v, i) => v === first[i])).toHaveLength(0);
  });

  it('is uniform in [0, 1), its integers fill every bucket evenly, its normals have mean 0 and sd 1', () => {
    const rng = createRng(11);
    const n = 200_000;
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.next();
      if (!(v >= 0 && v < 1)) outside++;
      sum += v;
      buckets[rng.int(10)]!++;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const chiSquare = buckets.reduce((acc, count) => acc + (count - n / 10) ** 2 / (n / 10), 0);
    expect(chiSquare).toBeLessThan(27.9);
    const normals = Array.from({ length: 50_000 }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.sqrt(variance)).toBeCloseTo(1, 1);
    expect(normals.every(Number.isFinite)).toBe(true);
    const scaled = Array.from({ length: 1000 }, () => rng.uniform(-5, 5));
    expect(Math.min(...scaled)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...scaled)).toBeLessThan(5);
  });

  it('rejects bad arguments clearly', () => {
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
    expect(() => createRng(1).int(0)).toThrow(/positive integer/);
    expect(() => createRng(1).int(2.5)).toThrow(/positive integer/);
  });
});
