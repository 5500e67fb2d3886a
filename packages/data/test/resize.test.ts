import { describe, expect, it } from 'vitest';
import { resizeImage } from '../src/resize.js';
import type { GrayImage } from '../src/types.js';

const image = (width: number, height: number, value: (col: number, row: number) => number): GrayImage => ({
  width,
  height,
  data: Float32Array.from({ length: width * height }, (_, i) => value(i % width, Math.floor(i / width))),
});
const sum = (data: Float32Array) => data.reduce((a, b) => a + b, 0);

describe('resizeImage', () => {
  it('is an exact copy at the same size', () => {
    const source = image(7, 5, (c, r) => ((c * 13 + r * 7) % 11) / 10);
    expect(Array.from(resizeImage(source, 7, 5).data)).toEqual(Array.from(source.data));
  });

  it('keeps a constant image constant, up or down, and values in range', () => {
    for (const [w, h] of [[3, 3], [50, 20], [256, 256]] as const) {
      const out = resizeImage(image(150, 150, () => 0.25), w, h);
      expect(out.width).toBe(w);
      expect(out.height).toBe(h);
      expect(Math.max(...out.data.map((v) => Math.abs(v - 0.25)))).toBeLessThan(1e-6);
    }
  });

  it('averages a downscale: a thin line of a 1111 image keeps its ink (no aliasing away)', () => {
    const big = image(1111, 1111, (c) => (c === 500 ? 1 : 0));
    const small = resizeImage(big, 256, 256);
    expect(sum(small.data) / sum(big.data)).toBeCloseTo((256 / 1111) ** 2, 3);
    // The line lands in one or two columns, on every row.
    const columnInk = Array.from({ length: 256 }, (_, c) => small.data[100 * 256 + c]!);
    expect(columnInk.filter((v) => v > 0).length).toBeLessThanOrEqual(3);
    expect(Math.max(...columnInk)).toBeGreaterThan(0.1);
  });

  it('interpolates an upscale: a horizontal ramp stays a monotone ramp', () => {
    const out = resizeImage(image(4, 1, (c) => c / 3), 8, 1);
    const values = Array.from(out.data);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(values[0]).toBeCloseTo(0, 6);
    expect(values[7]).toBeCloseTo(1, 6);
    expect(values[2]).toBeCloseTo(0.25 * 0 + 0.75 * (1 / 3), 6); // output 2 is centered at 1.25 in input pixels: weight 0.25 on input 0 (center 0.5), 0.75 on input 1 (center 1.5)
  });

  it('refuses bad sizes and data of the wrong length', () => {
    expect(() => resizeImage(image(2, 2, () => 0), 0, 3)).toThrow(/positive integers, got 0x3/);
    expect(() => resizeImage({ width: 3, height: 3, data: new Float32Array(4) }, 3, 3)).toThrow(/3x3 image needs 9 values, got 4/);
  });
});
