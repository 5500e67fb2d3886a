import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { openDataset } from '../src/index.js';
import { readAll, scratchFolder } from './read-dataset.js';
import { tuBerlinPngDir } from './shared-data.js';

const scratch = scratchFolder('tu-berlin-png-test');

describe('tu-berlin-png reader on the real files', () => {
  it('lists the 40 categories and reads 80 sketches of a category as ink images (no strokes)', async () => {
    const { dataset, sketches } = await readAll({ kind: 'tu-berlin-png', path: tuBerlinPngDir, categories: ['cloud', 'ant'] });
    expect(dataset.categories).toEqual(['cloud', 'ant']);
    expect(dataset.problems).toEqual([]);
    expect(sketches.filter((s) => s.label === 'cloud')).toHaveLength(readdirSync(join(tuBerlinPngDir, 'cloud')).length);
    expect(sketches.filter((s) => s.label === 'ant')).toHaveLength(80);
    const all = await openDataset({ kind: 'tu-berlin-png', path: tuBerlinPngDir });
    expect(all.categories).toHaveLength(40);
    for (const sketch of sketches) {
      expect(sketch.strokes).toEqual([]);
      const image = sketch.image!;
      const big = sketch.id === 'cloud/4387.png';
      expect([image.width, image.height]).toEqual(big ? [1111, 1111] : [150, 150]);
      // White paper is 0, dark strokes high (downscaled thin lines are gray), and most of the page is paper.
      let max = 0;
      let inked = 0;
      for (const v of image.data) {
        max = Math.max(max, v);
        if (v > 0.5) inked++;
      }
      expect(max).toBeGreaterThan(0.5);
      expect(Math.min(...image.data.subarray(0, image.width))).toBeGreaterThanOrEqual(0);
      expect(inked / image.data.length).toBeLessThan(0.3);
    }
    expect(sketches.some((s) => s.id === 'cloud/4387.png')).toBe(true);
  });

  it('maps gray levels to ink exactly: ink = 1 - gray / 255', async () => {
    const file = join(tuBerlinPngDir, 'ant', readdirSync(join(tuBerlinPngDir, 'ant')).sort()[0]!);
    const decoded = PNG.sync.read(readFileSync(file));
    const { sketches } = await readAll({ kind: 'tu-berlin-png', path: file });
    const image = sketches[0]!.image!;
    for (let i = 0; i < image.data.length; i += 97) expect(image.data[i]).toBeCloseTo(1 - decoded.data[i * 4]! / 255, 5);
  });
});

describe('tu-berlin-png reader on bad input', () => {
  it('skips and reports unreadable PNGs; throws in strict mode naming the file', async () => {
    const folder = join(scratch(), 'bad', 'blob');
    mkdirSync(folder, { recursive: true });
    const good = new PNG({ width: 4, height: 3 });
    good.data.fill(255);
    good.data[0] = good.data[1] = good.data[2] = 0; // one black pixel top-left
    const bytes = PNG.sync.write(good);
    writeFileSync(join(folder, '1.png'), bytes);
    writeFileSync(join(folder, '2.png'), 'not a png');
    writeFileSync(join(folder, '3.png'), bytes.subarray(0, bytes.length - 20));
    const { dataset, sketches } = await readAll({ kind: 'tu-berlin-png', path: join(scratch(), 'bad') });
    expect(sketches.map((s) => s.id)).toEqual(['blob/1.png']);
    expect(Array.from(sketches[0]!.image!.data)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(dataset.problems).toEqual([
      { file: join(folder, '2.png'), reason: expect.stringMatching(/unreadable PNG/) },
      { file: join(folder, '3.png'), reason: expect.stringMatching(/unreadable PNG/) },
    ]);
    const strict = await openDataset({ kind: 'tu-berlin-png', path: join(scratch(), 'bad'), strict: true });
    await expect(async () => {
      for await (const _ of strict.sketches());
    }).rejects.toThrow(`${join(folder, '2.png')}: unreadable PNG`);
  });
});
