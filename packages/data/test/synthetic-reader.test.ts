import { describe, expect, it } from 'vitest';
import { openDataset, type Sketch } from '../src/index.js';

async function readAll(options: Omit<Parameters<typeof openDataset>[0], 'kind'>) {
  const dataset = await openDataset({ kind: 'synthetic', ...options });
  const sketches: Sketch[] = [];
  for await (const sketch of dataset.sketches()) sketches.push(sketch);
  return { dataset, sketches };
}

const points = (sketch: Sketch) => sketch.strokes.map((s) => [Array.from(s.x), Array.from(s.y)]);

describe('synthetic dataset reader', () => {
  it('needs no files: 100 labelled drawings per shape class by default, in 0..255 coordinates', async () => {
    const { dataset, sketches } = await readAll({});
    expect(dataset.categories.length).toBeGreaterThanOrEqual(8);
    expect(dataset.categories).toEqual(expect.arrayContaining(['circle', 'square', 'triangle', 'star', 'spiral', 'zigzag', 'cross', 'house']));
    expect(sketches).toHaveLength(100 * dataset.categories.length);
    expect(dataset.problems).toEqual([]);
    for (const category of dataset.categories) expect(sketches.filter((s) => s.label === category)).toHaveLength(100);
    expect(new Set(sketches.map((s) => s.id)).size).toBe(sketches.length);
    const coordinates = sketches.flatMap((s) => s.strokes.flatMap((stroke) => [...stroke.x, ...stroke.y]));
    expect(coordinates.filter((v) => !(v >= 0 && v <= 255))).toEqual([]);
  });

  it('is reproducible per seed, and a subset or a shorter run draws the same sketches', async () => {
    const a = await readAll({ seed: 5, perCategory: 4 });
    const b = await readAll({ seed: 5, perCategory: 4 });
    expect(a.sketches.map(points)).toEqual(b.sketches.map(points));
    const other = await readAll({ seed: 6, perCategory: 4 });
    expect(other.sketches.map(points)).not.toEqual(a.sketches.map(points));
    const subset = await readAll({ seed: 5, perCategory: 2, categories: ['star', 'circle'] });
    expect(subset.dataset.categories).toEqual(['star', 'circle']);
    const pick = (id: string) => points(a.sketches.find((s) => s.id === id)!);
    expect(subset.sketches.map(points)).toEqual(['star/0', 'star/1', 'circle/0', 'circle/1'].map(pick));
    // Drawings of one class differ from each other (jitter, placement).
    expect(pick('star/0')).not.toEqual(pick('star/1'));
  });

  it('refuses unknown classes, a path and bad generator options', async () => {
    await expect(openDataset({ kind: 'synthetic', categories: ['circle', 'dragon'] })).rejects.toThrow(/no "dragon"/);
    await expect(openDataset({ kind: 'synthetic', path: 'data' })).rejects.toThrow(/reads no files/);
    await expect(openDataset({ kind: 'synthetic', jitter: -1 })).rejects.toThrow(/jitter must be a number >= 0/);
    await expect(openDataset({ kind: 'synthetic', perCategory: Infinity })).rejects.toThrow(/finite perCategory/);
  });
});
