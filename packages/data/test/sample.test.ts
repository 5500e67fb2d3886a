import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSketches, createBatchStream, openDataset } from '../src/index.js';
import { createRng } from '../src/random.js';
import { rasterize, rasterizeByStrokeOrder } from '../src/rasterize.js';
import { prepareTestViews, prepareTrainingSample, renderSketch } from '../src/sample.js';
import { generateSynthetic, generateSyntheticSketch } from '../src/synthetic.js';
import type { Sketch } from '../src/types.js';
import { cropView, randomView } from '../src/views.js';
import { tuBerlinPngDir } from './shared-data.js';

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const star = generateSyntheticSketch('star', 3, 1);

describe('prepareTrainingSample', () => {
  it('is cropSize x cropSize x channels in [0, 1], reproducible from the seed, different across seeds', () => {
    for (const channels of [1, 3]) {
      const sample = prepareTrainingSample(star, { channels }, createRng(5));
      expect(sample).toHaveLength(225 * 225 * channels);
      expect(sample.reduce((m, v) => Math.min(m, v), Infinity)).toBe(0);
      expect(sample.reduce((m, v) => Math.max(m, v), -Infinity)).toBeLessThanOrEqual(1);
      expect(same(prepareTrainingSample(star, { channels }, createRng(5)), sample)).toBe(true);
      expect(same(prepareTrainingSample(star, { channels }, createRng(6)), sample)).toBe(false);
    }
  });

  it('without augmentation is a random crop (and mirror) of the rendered sketch, drawn from the same RNG', () => {
    const options = { renderSize: 64, cropSize: 48, augment: false as const };
    const sample = prepareTrainingSample(star, options, createRng(9));
    const rng = createRng(9);
    // prepareTrainingSample forks the augmentation stream first, which does not advance the generator.
    const expected = cropView(rasterize(star.strokes, { size: 64 }).data, 64, 1, 48, randomView(64, 48, rng));
    expect(same(sample, expected)).toBe(true);
  });

  it('augments: the same crop position with augmentation on gives a different image', () => {
    const plain = prepareTrainingSample(star, { renderSize: 64, cropSize: 64, augment: false, flip: false }, createRng(2));
    const augmented = prepareTrainingSample(star, { renderSize: 64, cropSize: 64, flip: false }, createRng(2));
    expect(same(plain, augmented)).toBe(false);
    // ... but still the same drawing, roughly: most of the ink overlaps.
    const overlap = plain.reduce((s, v, i) => s + Math.min(v, augmented[i]!), 0);
    expect(overlap / sum(plain)).toBeGreaterThan(0.3);
  });

  it('refuses impossible sizes and a sketch with nothing to draw', () => {
    expect(() => prepareTrainingSample(star, { renderSize: 100, cropSize: 120 }, createRng(1))).toThrow(/cropSize must be an integer in \[1, renderSize = 100\], got 120/);
    expect(() => prepareTestViews({ label: 'x', id: 'x/1', strokes: [] }, {})).toThrow(/sketch x\/1 \(x\) has neither strokes nor an image/);
  });
});

describe('prepareTestViews', () => {
  it('gives 10 views: the center crop first, holding the whole drawing; views 5..9 mirror views 0..4', () => {
    const views = prepareTestViews(star, {});
    expect(views).toHaveLength(10);
    const full = rasterize(star.strokes).data;
    // The default margin makes the drawing fit the center 225 crop of 256 (lines may graze its edge).
    expect(sum(views[0]!) / sum(full)).toBeGreaterThan(0.99);
    for (let v = 0; v < 5; v++) {
      const mirrored = views[v + 5]!;
      const row = 100 * 225;
      expect(Array.from(mirrored.subarray(row, row + 225))).toEqual(Array.from(views[v]!.subarray(row, row + 225)).reverse());
    }
    expect(same(prepareTestViews(star, {})[3]!, views[3]!)).toBe(true);
  });

  it('splits strokes into early / middle / late channels', () => {
    const views = prepareTestViews(star, { renderSize: 64, cropSize: 64, channels: 3 });
    expect(same(views[0]!, rasterizeByStrokeOrder(star.strokes, 3, { size: 64 }))).toBe(true);
  });
});

describe('raster-only sketches (TU-Berlin PNG)', () => {
  it('are resized to renderSize, then cropped; gray goes to every channel', async () => {
    const dataset = await openDataset({ kind: 'tu-berlin-png', path: join(tuBerlinPngDir, 'cloud', '4387.png') });
    const [cloud] = await collectSketches(dataset.sketches());
    expect(cloud!.image!.width).toBe(1111);
    const rendered = renderSketch(cloud!, { renderSize: 128 });
    expect(rendered).toHaveLength(128 * 128);
    // Resizing keeps the share of ink.
    expect(sum(rendered) / 128 ** 2).toBeCloseTo(sum(cloud!.image!.data) / 1111 ** 2, 2);
    const gray = prepareTestViews(cloud!, { renderSize: 128, cropSize: 112 });
    const color = prepareTestViews(cloud!, { renderSize: 128, cropSize: 112, channels: 3 });
    expect(color[0]).toHaveLength(112 * 112 * 3);
    expect(Array.from(color[0]!.filter((_, i) => i % 3 === 1))).toEqual(Array.from(gray[0]!));
    const sample = prepareTrainingSample(cloud!, { renderSize: 128, cropSize: 112 }, createRng(1));
    expect(sample).toHaveLength(112 * 112);
    expect(sum(sample)).toBeGreaterThan(0);
  });
});

describe('the batch stream runs this pipeline', () => {
  it('yields train and test batches of the package pipeline', async () => {
    const sketches: Sketch[] = [...generateSynthetic({ seed: 1, perCategory: 2, categories: ['circle', 'cross'] })];
    const sample = { renderSize: 40, cropSize: 32 };
    const train = createBatchStream({ sketches, sample, batchSize: 4, workers: 0, seed: 3 });
    const batches = [];
    for await (const batch of train) batches.push(batch);
    expect(batches.map((b) => b.size)).toEqual([4]);
    // A worker thread loads this package's pipeline and gives the very same batch.
    const threaded = createBatchStream({ sketches, sample, batchSize: 4, workers: 1, seed: 3 });
    try {
      for await (const batch of threaded) expect(same(batch.images, batches[0]!.images)).toBe(true);
      expect(threaded.workers).toBe(1);
    } finally {
      await threaded.close();
    }
    expect(batches[0]!.images).toHaveLength(4 * 32 * 32);
    expect(batches[0]!.images.some((v) => v > 0)).toBe(true);
    const test = createBatchStream({ sketches, sample, batchSize: 4, workers: 0, mode: 'test' });
    for await (const batch of test) {
      expect(batch.views).toBe(10);
      expect(same(batch.images.subarray(0, 32 * 32), prepareTestViews(sketches[0]!, sample)[0]!)).toBe(true);
    }
  });
});
