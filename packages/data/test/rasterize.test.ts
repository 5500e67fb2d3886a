import { describe, expect, it } from 'vitest';
import { defaultMargin, fitTransform, rasterize, rasterizeByStrokeOrder, strokeBounds } from '../src/rasterize.js';
import { generateSynthetic } from '../src/synthetic.js';
import type { Stroke } from '../src/types.js';

const stroke = (points: [number, number][]): Stroke => ({ x: Float32Array.from(points, (p) => p[0]), y: Float32Array.from(points, (p) => p[1]) });
const rows = (data: Float32Array, size: number): number[][] =>
  Array.from({ length: size }, (_, r) => Array.from(data.subarray(r * size, (r + 1) * size), (v) => Math.round(v * 1000) / 1000));

describe('rasterize: hand-checked small cases', () => {
  it('a vertical line through pixel centers fills exactly one column', () => {
    // extent 4 -> scale (5 - 2 * 0.5) / 4 = 1; the line runs from (2.5, 0.5) to (2.5, 4.5).
    const image = rasterize([stroke([[0, 0], [0, 4]])], { size: 5, lineWidth: 1, margin: 0.5 });
    expect(image.width).toBe(5);
    expect(image.height).toBe(5);
    expect(rows(image.data, 5)).toEqual(Array.from({ length: 5 }, () => [0, 0, 1, 0, 0]));
  });

  it('a horizontal line on a pixel boundary covers the two rows half each, round caps at the ends', () => {
    // extent 10 -> scale 0.6; the line runs from (1, 4) to (7, 4): rows 3 and 4 have their centers 0.5 away.
    const image = rasterize([stroke([[0, 0], [10, 0]])], { size: 8, lineWidth: 1, margin: 1 });
    const cap = Math.round((1 - Math.SQRT1_2) * 1000) / 1000; // corner pixel center sqrt(0.5) from the end point
    const band = [cap, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, cap];
    const zero = new Array(8).fill(0);
    expect(rows(image.data, 8)).toEqual([zero, zero, zero, band, band, zero, zero, zero]);
  });

  it('a single point is a round dot of the line width', () => {
    const image = rasterize([stroke([[7, 7]])], { size: 5, lineWidth: 2, margin: 1 });
    const diagonal = Math.round((1.5 - Math.SQRT2) * 1000) / 1000;
    expect(rows(image.data, 5)).toEqual([
      [0, 0, 0, 0, 0],
      [0, diagonal, 0.5, diagonal, 0],
      [0, 0.5, 1, 0.5, 0],
      [0, diagonal, 0.5, diagonal, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('no strokes give a blank image; defaults are 256 with a margin that the 225 center crop keeps', () => {
    const image = rasterize([]);
    expect(image.width).toBe(256);
    expect(image.data.every((v) => v === 0)).toBe(true);
    expect(256 - 2 * defaultMargin(256)).toBe(225);
  });
});

describe('rasterize: fitting', () => {
  it('keeps the aspect ratio: a tall drawing fills the height and is centered across', () => {
    const tall = [stroke([[10, 0], [10, 100], [30, 100]])];
    expect(strokeBounds(tall)).toEqual({ minX: 10, minY: 0, maxX: 30, maxY: 100 });
    const { scale, offsetX, offsetY } = fitTransform(tall, 100, 10);
    expect(scale).toBeCloseTo(0.8, 12);
    expect(10 * scale + offsetX).toBeCloseTo(42, 12);
    expect(30 * scale + offsetX).toBeCloseTo(58, 12);
    expect(offsetY).toBeCloseTo(10, 12);
  });

  it('does not depend on the offset and scale of the input coordinates', () => {
    const [sketch] = [...generateSynthetic({ seed: 3, categories: ['house'], perCategory: 1 })];
    const moved = sketch!.strokes.map(({ x, y }) => ({ x: x.map((v) => v * 4 - 300), y: y.map((v) => v * 4 + 1000) }));
    const a = rasterize(sketch!.strokes, { size: 64 }).data;
    const b = rasterize(moved, { size: 64 }).data;
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('rasterize: output', () => {
  const sketches = [...generateSynthetic({ seed: 5, perCategory: 2 })];

  it('is in [0, 1] with full ink on the lines, and identical across calls', () => {
    for (const sketch of sketches) {
      const first = rasterize(sketch.strokes).data;
      const second = rasterize(sketch.strokes).data;
      expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer))).toBe(true);
      let [min, max] = [Infinity, -Infinity];
      for (const v of first) [min, max] = [Math.min(min, v), Math.max(max, v)];
      expect([min, max]).toEqual([0, 1]);
    }
  });

  it('stroke-order channels split the strokes early / middle / late and overlay to the one-channel raster', () => {
    const strokes = [stroke([[0, 0], [10, 0]]), stroke([[0, 5], [10, 5]]), stroke([[0, 10], [10, 10]])];
    const size = 16;
    const channels = rasterizeByStrokeOrder(strokes, 3, { size });
    const single = rasterize(strokes, { size }).data;
    const overlay = single.map((_, p) => Math.max(channels[p * 3]!, channels[p * 3 + 1]!, channels[p * 3 + 2]!));
    expect(overlay).toEqual(single);
    // The first stroke is at the top, so only channel 0 has ink in the top rows.
    const rowInk = (row: number, c: number) => Array.from({ length: size }, (_, col) => channels[(row * size + col) * 3 + c]!).reduce((a, b) => a + b);
    const top = Math.round(defaultMargin(size));
    expect(rowInk(top, 0)).toBeGreaterThan(0);
    expect(rowInk(top, 1) + rowInk(top, 2)).toBe(0);
    expect(rowInk(size - 1 - top, 2)).toBeGreaterThan(0);
    expect(rowInk(size - 1 - top, 0) + rowInk(size - 1 - top, 1)).toBe(0);
  });
});

describe('rasterize: against a brute-force reference', () => {
  // Every pixel against every segment, no bounding boxes or row spans: coverage = clamp(w/2 + 0.5 - distance, 0, 1).
  function reference(strokes: Stroke[], size: number, lineWidth: number): Float32Array {
    const { scale, offsetX, offsetY } = fitTransform(strokes, size, defaultMargin(size));
    const segments = strokes.flatMap(({ x, y }) =>
      Array.from({ length: Math.max(1, x.length - 1) }, (_, i) => {
        const j = Math.min(i + 1, x.length - 1);
        return [x[i]! * scale + offsetX, y[i]! * scale + offsetY, x[j]! * scale + offsetX, y[j]! * scale + offsetY] as const;
      }),
    );
    const out = new Float32Array(size * size);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        let nearest = Infinity;
        for (const [x0, y0, x1, y1] of segments) {
          const [dx, dy, ex, ey] = [x1 - x0, y1 - y0, col + 0.5 - x0, row + 0.5 - y0];
          const length2 = dx * dx + dy * dy;
          const t = length2 > 0 ? Math.min(1, Math.max(0, (ex * dx + ey * dy) / length2)) : 0;
          nearest = Math.min(nearest, Math.hypot(ex - t * dx, ey - t * dy));
        }
        out[row * size + col] = Math.min(1, Math.max(0, lineWidth / 2 + 0.5 - nearest));
      }
    }
    return out;
  }

  it('matches it on synthetic sketches of every class, thin and thick lines', () => {
    for (const sketch of generateSynthetic({ seed: 9, perCategory: 1 })) {
      for (const lineWidth of [1.5, 4]) {
        const fast = rasterize(sketch.strokes, { size: 40, lineWidth }).data;
        const slow = reference(sketch.strokes, 40, lineWidth);
        let worst = 0;
        for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs(fast[i]! - slow[i]!));
        expect(worst, `${sketch.id} at line width ${lineWidth}`).toBeLessThan(1e-5);
      }
    }
  });
});

