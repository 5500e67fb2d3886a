import { describe, expect, it } from 'vitest';
import { getDataset, listDatasets, openDataset, registerDataset, type Dataset } from '../src/index.js';

describe('dataset registry', () => {
  it('lists the built-in readers and names the known ones for an unknown kind', async () => {
    expect(listDatasets()).toEqual(expect.arrayContaining(['quickdraw']));
    await expect(openDataset({ kind: 'no-such-format', path: '.' })).rejects.toThrow(/Unknown dataset "no-such-format".*quickdraw/);
  });

  it('checks the common options before touching any file', async () => {
    await expect(openDataset({ kind: 'quickdraw', path: '.', categories: 'cat' as unknown as string[] })).rejects.toThrow(/categories must be an array/);
    await expect(openDataset({ kind: 'quickdraw', path: '.', perCategory: -1 })).rejects.toThrow(/perCategory must be an integer >= 0/);
    await expect(openDataset({ kind: 'quickdraw', path: '.', strict: 'yes' as unknown as boolean })).rejects.toThrow(/strict must be a boolean/);
  });

  it('opens a reader registered from outside, with its options, through the same registry', async () => {
    registerDataset({
      name: 'test-dots',
      description: 'n one-point sketches',
      create: (options) => ({
        name: 'test-dots',
        getConfig: () => ({ name: 'test-dots', ...options }),
        open: async (): Promise<Dataset> => ({
          kind: 'test-dots',
          categories: ['dot'],
          problems: [],
          async *sketches() {
            for (let i = 0; i < Number(options['count']); i++) yield { label: 'dot', id: `dot/${i}`, strokes: [{ x: Float32Array.of(i), y: Float32Array.of(i) }] };
          },
        }),
      }),
    });
    expect(listDatasets()).toContain('test-dots');
    expect(getDataset({ name: 'test-dots', count: 3 }).getConfig()).toEqual({ name: 'test-dots', count: 3 });
    const dataset = await openDataset({ kind: 'test-dots', count: 3 });
    const ids: string[] = [];
    for await (const sketch of dataset.sketches()) ids.push(sketch.id);
    expect(ids).toEqual(['dot/0', 'dot/1', 'dot/2']);
    expect(() => registerDataset({ name: 'test-dots', create: () => getDataset({ name: 'test-dots' }) })).toThrow(/already registered/);
  });
});
