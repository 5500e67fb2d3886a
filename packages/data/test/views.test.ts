import { describe, expect, it } from 'vitest';
import { createRng } from '../src/random.js';
import { cropView, randomView, testViews } from '../src/views.js';

// A 4x4 image whose values are their own index, with 2 channels: (row * 4 + col) * 10 + channel.
const size = 4;
const image = Float32Array.from({ length: size * size * 2 }, (_, i) => Math.floor(i / 2) * 10 + (i % 2));

describe('views', () => {
  it('crops the square at (left, top), channels interleaved', () => {
    expect(Array.from(cropView(image, size, 2, 2, { left: 1, top: 2, flip: false }))).toEqual([90, 91, 100, 101, 130, 131, 140, 141]);
  });

  it('mirrors left-right and keeps each pixel\'s channels together', () => {
    expect(Array.from(cropView(image, size, 2, 2, { left: 1, top: 2, flip: true }))).toEqual([100, 101, 90, 91, 140, 141, 130, 131]);
  });

  it('refuses a crop outside the image and an image of the wrong length', () => {
    expect(() => cropView(image, size, 2, 3, { left: 2, top: 0, flip: false })).toThrow(/a 3 crop at \(2, 0\) does not fit a 4 image/);
    expect(() => cropView(image, size, 1, 2, { left: 0, top: 0, flip: false })).toThrow(/needs 16 values, got 32/);
  });

  it('has 10 test views: center first, then the corners, then the same mirrored', () => {
    const views = testViews(256, 225);
    expect(views).toHaveLength(10);
    expect(views.slice(0, 5)).toEqual([
      { left: 15, top: 15, flip: false },
      { left: 0, top: 0, flip: false },
      { left: 31, top: 0, flip: false },
      { left: 0, top: 31, flip: false },
      { left: 31, top: 31, flip: false },
    ]);
    expect(views.slice(5)).toEqual(views.slice(0, 5).map((v) => ({ ...v, flip: true })));
  });

  it('draws random crops uniformly over every position, mirrored about half the time', () => {
    const rng = createRng(4);
    const seen = new Set<string>();
    let flips = 0;
    for (let i = 0; i < 2000; i++) {
      const view = randomView(6, 4, rng);
      seen.add(`${view.left},${view.top}`);
      if (view.flip) flips++;
    }
    expect(seen.size).toBe(9);
    expect(flips / 2000).toBeGreaterThan(0.45);
    expect(flips / 2000).toBeLessThan(0.55);
    expect(randomView(6, 4, createRng(1), false).flip).toBe(false);
  });
});
