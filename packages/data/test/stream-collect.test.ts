import { describe, expect, it } from 'vitest';
import { collectSketches, type Sketch } from '../src/index.js';

const sketch = (label: string, id: string): Sketch => ({ label, id, strokes: [] });

describe('collectSketches', () => {
  it('keeps the first perCategory sketches of each category in reading order, from sync or async sources', async () => {
    const items = [sketch('a', '1'), sketch('b', '2'), sketch('a', '3'), sketch('a', '4'), sketch('b', '5')];
    async function* slowly() {
      for (const item of items) yield await Promise.resolve(item);
    }
    expect((await collectSketches(slowly(), { perCategory: 2 })).map((s) => s.id)).toEqual(['1', '2', '3', '5']);
    expect((await collectSketches(items)).map((s) => s.id)).toEqual(['1', '2', '3', '4', '5']);
    await expect(collectSketches(items, { perCategory: -1 })).rejects.toThrow(/perCategory must be >= 0/);
  });
});
