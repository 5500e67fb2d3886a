import { describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, openDataset, parseQuickDrawLine, rasterize } from '../src/index.js';
import { encodeBinary, linesOf, rawDrawing, type Drawing } from './quickdraw-formats.js';
import { readAll, scratchFolder } from './read-dataset.js';
import { quickDrawDir } from './shared-data.js';

const scratch = scratchFolder('quickdraw-test');

describe('quickdraw reader on the real files', () => {
  it('lists every category file (names with spaces) and reads every drawing of the selected ones', async () => {
    const selected = ['The Eiffel Tower', 'cat', 'zigzag'];
    const { dataset, sketches } = await readAll({ kind: 'quickdraw', path: quickDrawDir, categories: selected });
    expect(dataset.categories).toEqual(selected);
    expect(dataset.problems).toEqual([]);
    for (const category of selected) {
      const lines = linesOf(category);
      const read = sketches.filter((s) => s.label === category);
      expect(read).toHaveLength(lines.length);
      // Strokes and points as in the file, in drawing order.
      lines.forEach((line, i) => {
        const { drawing, key_id } = JSON.parse(line) as { drawing: Drawing; key_id: string };
        expect(read[i]!.id).toBe(key_id);
        expect(read[i]!.strokes.map((s) => Array.from(s.x))).toEqual(drawing.map(([xs]) => xs));
        expect(read[i]!.strokes.map((s) => Array.from(s.y))).toEqual(drawing.map(([, ys]) => ys));
      });
    }
    const all = await openDataset({ kind: 'quickdraw', path: quickDrawDir });
    expect(all.categories).toHaveLength(345);
    expect(all.categories).toContain('The Great Wall of China');
    expect([...all.categories].sort()).toEqual(all.categories);
  });

  it('stops at perCategory and reads a single file', async () => {
    const limited = await readAll({ kind: 'quickdraw', path: quickDrawDir, categories: ['cat', 'dog'], perCategory: 7 });
    expect(limited.sketches.map((s) => s.label)).toEqual([...Array(7).fill('cat'), ...Array(7).fill('dog')]);
    const single = await readAll({ kind: 'quickdraw', path: join(quickDrawDir, 'The Mona Lisa.ndjson') });
    expect(single.dataset.categories).toEqual(['The Mona Lisa']);
    expect(single.sketches).toHaveLength(linesOf('The Mona Lisa').length);
  });

  it('names missing categories and unreadable paths', async () => {
    await expect(openDataset({ kind: 'quickdraw', path: quickDrawDir, categories: ['cat', 'unicorn'] })).rejects.toThrow(/no "unicorn"/);
    await expect(openDataset({ kind: 'quickdraw', path: join(scratch(), 'nowhere') })).rejects.toThrow(/nowhere: cannot be read/);
    await expect(openDataset({ kind: 'quickdraw' })).rejects.toThrow(/needs a path/);
  });

  it('gives the same raster for a raw version of a real simplified drawing (affine transform plus times)', async () => {
    const originals = linesOf('bicycle').slice(0, 5).map((line) => JSON.parse(line) as { key_id: string; drawing: Drawing });
    // Raw form: screen pixels at another offset and scale, floats, with per-point times in ms.
    const raw = originals.map(({ key_id, drawing }, i) => ({ key_id, drawing: rawDrawing(drawing, i * 100_000) }));
    writeFileSync(join(scratch(), 'bicycle.ndjson'), raw.map((r) => JSON.stringify(r)).join('\n'));
    expect(typeof parseQuickDrawLine(JSON.stringify(raw[0])) !== 'string' && parseQuickDrawLine(JSON.stringify(raw[0]))).toMatchObject({ format: 'raw' });
    expect(typeof parseQuickDrawLine(JSON.stringify(originals[0])) !== 'string' && parseQuickDrawLine(JSON.stringify(originals[0]))).toMatchObject({ format: 'simplified' });
    const simplified = await readAll({ kind: 'quickdraw', path: quickDrawDir, categories: ['bicycle'], perCategory: 5 });
    const fromRaw = await readAll({ kind: 'quickdraw', path: join(scratch(), 'bicycle.ndjson') });
    expect(fromRaw.dataset.problems).toEqual([]);
    expect(fromRaw.sketches).toHaveLength(5);
    fromRaw.sketches.forEach((sketch, i) => {
      const original = simplified.sketches[i]!;
      expect(sketch.strokes[0]!.t).toBeInstanceOf(Float64Array);
      // Normalized into the 0..255 box (minimum 0, longest side 255), the points are the simplified ones up to
      // that same normalization (a simplified drawing may stop short of 255).
      const xs = original.strokes.flatMap((s) => Array.from(s.x));
      const ys = original.strokes.flatMap((s) => Array.from(s.y));
      const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
      const scale = 255 / Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY);
      sketch.strokes.forEach((stroke, s) => {
        stroke.x.forEach((x, p) => expect(x).toBeCloseTo((original.strokes[s]!.x[p]! - minX) * scale, 3));
        stroke.y.forEach((y, p) => expect(y).toBeCloseTo((original.strokes[s]!.y[p]! - minY) * scale, 3));
      });
      const a = rasterize(sketch.strokes).data;
      const b = rasterize(original.strokes).data;
      let largest = 0;
      for (let p = 0; p < a.length; p++) largest = Math.max(largest, Math.abs(a[p]! - b[p]!));
      expect(largest).toBeLessThan(1e-3);
    });
  });
});

describe('quickdraw reader on bad input', () => {
  const lines = [
    /* 1 */ '\ufeff{"word":"cat","key_id":"1","drawing":[[[0,10,20],[0,10,0]]]}',
    /* 2 */ 'this is not json',
    /* 3 */ '{"word":"cat","key_id":"3","drawing":[[[0,10,20],[0,10',
    /* 4 */ '{"word":"cat","key_id":"4","drawing":[]}',
    /* 5 */ '{"word":"cat","key_id":"5","drawing":[[[0,"a"],[0,1]]]}',
    /* 6 */ '{"word":"cat","key_id":"6","drawing":[[[0,1e999],[0,1]]]}',
    /* 7 */ '{"word":"cat","key_id":"7","drawing":[[[0,1e12],[0,1]]]}',
    /* 8 */ '{"word":"cat","key_id":"8","drawing":[[[0,1,2],[0,1]]]}',
    /* 9 */ '',
    /* 10 */ '{"word":"cat","key_id":"10","drawing":[[[5],[5]],[[0,255],[255,0]]]}',
    /* 11 */ '[1,2,3]',
    /* 12 */ '{"word":"cat","key_id":"12","drawing":[[[],[]]]}',
  ];

  it('skips and reports each bad line with file, line and reason; keeps the good ones', async () => {
    const file = join(scratch(), 'cat.ndjson');
    writeFileSync(file, lines.join('\n'));
    const { dataset, sketches } = await readAll({ kind: 'quickdraw', path: scratch(), categories: ['cat'] });
    expect(sketches.map((s) => s.id)).toEqual(['1', '10']);
    expect(dataset.problems.map(({ file: f, line }) => [f, line])).toEqual([2, 3, 4, 5, 6, 7, 8, 11, 12].map((line) => [file, line]));
    const reasons = dataset.problems.map((p) => p.reason);
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/truncated/);
    expect(reasons[2]).toMatch(/empty drawing/);
    expect(reasons[3]).toMatch(/not a number/);
    expect(reasons[4]).toMatch(/not finite/);
    expect(reasons[5]).toMatch(/absurd/);
    expect(reasons[6]).toMatch(/3 x but 2 y/);
    expect(reasons[7]).toMatch(/not a JSON object/);
    expect(reasons[8]).toMatch(/no points/);
    // A second pass reports the same problems, not twice as many.
    for await (const _ of dataset.sketches());
    expect(dataset.problems).toHaveLength(9);
  });

  it('throws on the first bad line in strict mode, naming file and line', async () => {
    const file = join(scratch(), 'cat.ndjson');
    writeFileSync(file, lines.join('\n'));
    const dataset = await openDataset({ kind: 'quickdraw', path: file, strict: true });
    const run = async () => {
      for await (const _ of dataset.sketches());
    };
    await expect(run()).rejects.toThrow(InputError);
    await expect(run()).rejects.toThrow(`${file}:2: not JSON`);
  });
});

describe('quickdraw binary (.bin) reader', () => {
  it('reads the records of a .bin file as the ndjson gives them, and reports empty and truncated records', async () => {
    const originals = linesOf('apple').map((line) => JSON.parse(line) as { key_id: string; drawing: Drawing });
    const records = originals.map(({ key_id, drawing }) => ({ keyId: BigInt(key_id), drawing }));
    const good = encodeBinary(records);
    const empty = encodeBinary([{ keyId: 99n, drawing: [] }]);
    const cut = encodeBinary(records.slice(0, 1)).subarray(0, 30);
    const folder = join(scratch(), 'bin');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const file = join(folder, 'apple.bin');
    writeFileSync(file, Buffer.concat([good.subarray(0, good.length), empty, cut]));
    const { dataset, sketches } = await readAll({ kind: 'quickdraw', path: folder });
    expect(dataset.categories).toEqual(['apple']);
    expect(sketches).toHaveLength(originals.length);
    sketches.forEach((sketch, i) => {
      expect(sketch.id).toBe(originals[i]!.key_id);
      expect(sketch.strokes.map((s) => [Array.from(s.x), Array.from(s.y)])).toEqual(originals[i]!.drawing);
    });
    expect(dataset.problems).toEqual([
      { file, line: originals.length + 1, reason: expect.stringMatching(/empty drawing/) },
      { file, line: originals.length + 2, reason: expect.stringMatching(/truncated record/) },
    ]);
  });
});
