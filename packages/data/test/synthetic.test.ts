import { describe, expect, it } from 'vitest';
import { rasterize } from '../src/rasterize.js';
import { generateSynthetic, SYNTHETIC_CATEGORIES, generateSyntheticSketch } from '../src/synthetic.js';
import type { Sketch } from '../src/types.js';

const flat = (sketch: Sketch) => sketch.strokes.flatMap((s) => [...s.x, ...s.y]);

describe('synthetic sketches', () => {
  it('are labelled, in a 0..255 box, deterministic per (seed, class, index) and vary with the seed', () => {
    const all = [...generateSynthetic({ seed: 7, perCategory: 3 })];
    expect(all.map((s) => s.label)).toEqual(SYNTHETIC_CATEGORIES.flatMap((c) => [c, c, c]));
    expect(all[4]!.id).toBe('square/1');
    for (const sketch of all) {
      expect(sketch.strokes.length).toBeGreaterThan(0);
      for (const v of flat(sketch)) expect(v >= 0 && v <= 255).toBe(true);
    }
    const subset = [...generateSynthetic({ seed: 7, perCategory: 2, categories: ['star', 'house'] })];
    expect(subset.map(flat)).toEqual([all[9], all[10], all[21], all[22]].map((s) => flat(s!)));
    expect(flat(generateSyntheticSketch('star', 0, 7))).toEqual(flat(all[9]!));
    expect(flat(generateSyntheticSketch('star', 0, 8))).not.toEqual(flat(all[9]!));
    expect(() => [...generateSynthetic({ categories: ['dragon'] })]).toThrow(/unknown synthetic categories "dragon"; known: circle/);
  });

  it('are learnable but not trivial: a nearest-class-mean classifier on 24x24 rasters beats chance by far yet is far from perfect', () => {
    const size = 24;
    const raster = (s: Sketch) => rasterize(s.strokes, { size, lineWidth: 1.5 }).data;
    const train = [...generateSynthetic({ seed: 1, perCategory: 40 })];
    const test = [...generateSynthetic({ seed: 2, perCategory: 20 })];
    const means = SYNTHETIC_CATEGORIES.map((category) => {
      const mean = new Float32Array(size * size);
      const members = train.filter((s) => s.label === category);
      for (const s of members) raster(s).forEach((v, i) => (mean[i]! += v / members.length));
      return mean;
    });
    const predict = (s: Sketch) => {
      const image = raster(s);
      const distances = means.map((mean) => mean.reduce((sum, m, i) => sum + (m - image[i]!) ** 2, 0));
      return SYNTHETIC_CATEGORIES[distances.indexOf(Math.min(...distances))];
    };
    const accuracy = test.filter((s) => predict(s) === s.label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.3); // chance is 0.1
    expect(accuracy).toBeLessThan(0.9); // a template match does not solve it: a CNN has to learn shapes
  });
});
