import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { augmentImage, getAugmentation, openDataset, prepareTrainingSample, rotateImage } from '../src/index.js';
import { createRng } from '../src/random.js';
import { rasterize } from '../src/rasterize.js';
import type { Sketch } from '../src/types.js';
import { tuBerlinPngDir } from './shared-data.js';

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
/** Overlap of two ink images: sum(min) / sum(max). */
const overlap = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.min(v, b[i]!), 0) / a.reduce((s, v, i) => s + Math.max(v, b[i]!), 0);

async function realPng(file: string): Promise<Sketch> {
  const dataset = await openDataset({ kind: 'tu-berlin-png', path: join(tuBerlinPngDir, file) });
  for await (const sketch of dataset.sketches()) return sketch;
  throw new Error(`no sketch in ${file}`);
}

describe('rotateImage', () => {
  it('turns +x towards +y about the center, bilinear, background outside; angle 0 copies exactly', () => {
    const size = 9;
    const image = new Float32Array(size * size);
    image[4 * size + 8] = 1; // the pixel right of the center
    const quarter = rotateImage(image, size, 1, Math.PI / 2);
    // a quarter turn takes (+1, 0) to (0, +1): the pixel below the center, exactly, nothing else inked
    expect(quarter[8 * size + 4]).toBeCloseTo(1, 5);
    expect(sum(quarter)).toBeCloseTo(1, 5);
    expect(same(rotateImage(image, size, 1, 0), image)).toBe(true);
    // channels rotate alike and independently
    const two = new Float32Array(size * size * 2);
    two[(4 * size + 8) * 2 + 1] = 1;
    const turned = rotateImage(two, size, 2, Math.PI / 2);
    expect(turned[(8 * size + 4) * 2 + 1]).toBeCloseTo(1, 5);
    expect(turned[(8 * size + 4) * 2]).toBe(0);
    expect(() => rotateImage(image, 8, 1, 0.1)).toThrow(/8x8x1 image needs 64 values, got 81/);
  });

  it('matches the stroke rotation of the same drawing, angle and sense: rotate the raster or the strokes, same picture', () => {
    // a circle (its bounding box, hence the rasterizer's fit, does not change as it turns) with three spokes
    const n = 720;
    const ring = (i: number, r: number, deg: number) => [128 + r * Math.cos(deg), 128 + r * Math.sin(deg)] as const;
    const circle = { x: Float32Array.from({ length: n + 1 }, (_, i) => ring(i, 100, (2 * Math.PI * i) / n)[0]), y: Float32Array.from({ length: n + 1 }, (_, i) => ring(i, 100, (2 * Math.PI * i) / n)[1]) };
    const spoke = (deg: number) => ({ x: Float32Array.from([128, ring(0, 95, (deg * Math.PI) / 180)[0]]), y: Float32Array.from([128, ring(0, 95, (deg * Math.PI) / 180)[1]]) });
    const strokes = [circle, spoke(10), spoke(100), spoke(230)];
    const raster = rasterize(strokes, { size: 128 }).data;
    const rotation = getAugmentation({ name: 'rotation', maxDegrees: 20 });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => Math.abs(createRng(seed).uniform(-20, 20)) > 5);
    expect(seeds.length).toBeGreaterThan(1);
    for (const seed of seeds) {
      const viaStrokes = rasterize(rotation.apply(strokes, createRng(seed)), { size: 128 }).data;
      const viaRaster = rotation.applyToImage!(raster, 128, 1, createRng(seed));
      const angle = (createRng(seed).uniform(-20, 20) * Math.PI) / 180;
      const opposite = rotateImage(raster, 128, 1, -angle);
      // bilinear sampling blurs the 1-px lines a little: close, not exact
      expect(overlap(viaStrokes, viaRaster)).toBeGreaterThan(0.7);
      expect(overlap(viaStrokes, viaRaster)).toBeGreaterThan(overlap(viaStrokes, opposite) + 0.2);
      expect(overlap(viaStrokes, viaRaster)).toBeGreaterThan(overlap(viaStrokes, raster) + 0.1);
    }
  });
});

describe('raster sketches are augmented too (TU-Berlin PNGs)', () => {
  it('a real PNG: the training sample differs with and without augmentation at the same crop, and is reproducible', async () => {
    const sketch = await realPng(join('bicycle', readdirSync(join(tuBerlinPngDir, 'bicycle')).sort()[0]!));
    expect(sketch.strokes).toHaveLength(0);
    const options = { renderSize: 128, cropSize: 128, flip: false };
    const plain = prepareTrainingSample(sketch, { ...options, augment: false }, createRng(4));
    const augmented = prepareTrainingSample(sketch, options, createRng(4));
    expect(same(plain, augmented)).toBe(false);
    expect(same(prepareTrainingSample(sketch, options, createRng(4)), augmented)).toBe(true);
    expect(same(prepareTrainingSample(sketch, options, createRng(5)), augmented)).toBe(false);
    // a rotation of a few degrees keeps (almost) all the ink and most of the overlap
    expect(sum(augmented) / sum(plain)).toBeGreaterThan(0.9);
    expect(overlap(plain, augmented)).toBeGreaterThan(0.3);
    // rotation switched off: no raster step is left, the sample is the plain one
    const unrotated = prepareTrainingSample(sketch, { ...options, augment: { rotation: false } }, createRng(4));
    expect(same(unrotated, plain)).toBe(true);
  });

  it('augmentImage runs only the steps with a raster form, with the same RNG forks as on strokes', () => {
    const image = rasterize([{ x: Float32Array.from([10, 50]), y: Float32Array.from([10, 40]) }], { size: 64 }).data;
    const rng = createRng(11);
    const all = augmentImage(image, 64, 1, {}, rng);
    const onlyRotation = augmentImage(image, 64, 1, { strokeRemoval: false, deformation: false }, createRng(11));
    // stroke removal and deformation need strokes: switching them off changes nothing for a raster
    expect(same(all, onlyRotation)).toBe(true);
    // the rotation step draws from fork 3 of the stream, as augmentStrokes gives it
    const expected = getAugmentation('rotation').applyToImage!(image, 64, 1, createRng(11).fork(3));
    expect(same(all, expected)).toBe(true);
  });
});
