import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../src/index.js';
import { readAll, scratchFolder } from './read-dataset.js';
import { sharedData, tuBerlinSvgDir } from './shared-data.js';

const scratch = scratchFolder('tu-berlin-svg-test');

describe('tu-berlin-svg reader on the real files', () => {
  it("reads the distribution's own layout: pointed at its root, the categories are those under svg/, other folders reported", async () => {
    const root = join(sharedData, 'tu-berlin-svg-sample');
    const { dataset, sketches } = await readAll({ kind: 'tu-berlin-svg', path: root });
    expect(dataset.categories).toEqual(['airplane', 'alarm clock', 'angel']);
    expect(sketches).toHaveLength(15);
    expect(dataset.problems).toEqual([{ file: join(root, 'MLS'), reason: `not a category folder: the categories are in ${join(root, 'svg')}; skipped` }]);
    // the same sketches as reading svg/ itself, stroke for stroke
    const direct = await readAll({ kind: 'tu-berlin-svg', path: tuBerlinSvgDir });
    expect(sketches.map((s) => [s.id, s.strokes.length])).toEqual(direct.sketches.map((s) => [s.id, s.strokes.length]));
    // selecting categories works the same from the root
    const angel = await readAll({ kind: 'tu-berlin-svg', path: root, categories: ['angel'], perCategory: 2 });
    expect(angel.sketches.map((s) => s.id)).toEqual(['angel/161.svg', 'angel/162.svg']);
  });

  it('reads every SVG with one stroke per <path>, ids relative to the root, files in numeric order', async () => {
    const { dataset, sketches } = await readAll({ kind: 'tu-berlin-svg', path: tuBerlinSvgDir });
    expect(dataset.categories).toEqual(['airplane', 'alarm clock', 'angel']);
    expect(dataset.problems).toEqual([]);
    expect(sketches.map((s) => s.id)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => `airplane/${n}.svg`),
      ...[81, 82, 83, 84, 85].map((n) => `alarm clock/${n}.svg`),
      ...[161, 162, 163, 164, 165].map((n) => `angel/${n}.svg`),
    ]);
    for (const sketch of sketches) {
      const text = readFileSync(join(tuBerlinSvgDir, sketch.id), 'utf8');
      expect(sketch.strokes).toHaveLength(text.match(/<path\b/g)!.length);
      expect(sketch.label).toBe(sketch.id.split('/')[0]);
      // Curves are flattened into many points, and the group transforms put the drawing on the 800 x 800 canvas.
      expect(sketch.strokes.every((s) => s.x.length >= 2 && s.x.length === s.y.length)).toBe(true);
      const coordinates = sketch.strokes.flatMap(({ x, y }) => [...x, ...y]);
      expect(coordinates.filter((v) => !(v >= 0 && v <= 800))).toEqual([]);
    }
  });

  it('takes strokes in id order with the group transform applied', async () => {
    const file = join(tuBerlinSvgDir, 'airplane/1.svg');
    const { sketches } = await readAll({ kind: 'tu-berlin-svg', path: file });
    expect(sketches).toHaveLength(1);
    expect(sketches[0]!.id).toBe('1.svg');
    expect(sketches[0]!.label).toBe('airplane');
    // Path 0 starts at M167 268 inside translate(87.52,135.4065) scale(1.6233) translate(0,-60).
    const first = sketches[0]!.strokes[0]!;
    expect(first.x[0]).toBeCloseTo(87.52 + 1.6233 * 167, 3);
    expect(first.y[0]).toBeCloseTo(135.4065 + 1.6233 * (268 - 60), 3);
    const last = first.x.length - 1;
    expect(first.x[last]).toBeCloseTo(87.52 + 1.6233 * 265, 3);
    expect(first.y[last]).toBeCloseTo(135.4065 + 1.6233 * (283 - 60), 3);
    // Ids out of document order are sorted.
    const folder = join(scratch(), 'ordered', 'shape');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '1.svg'), '<svg viewBox="0 0 10 10"><path id="1" d="M5 5 L6 6"/><path id="0" d="M0 0 L1 1"/></svg>');
    const ordered = await readAll({ kind: 'tu-berlin-svg', path: join(scratch(), 'ordered') });
    expect(ordered.sketches[0]!.strokes.map((s) => s.x[0])).toEqual([0, 5]);
  });
});

describe('tu-berlin-svg reader on bad input', () => {
  const files: Record<string, string> = {
    '1.svg': '<svg viewBox="0 0 800 800"><g transform="translate(1,1)">\n<path id="0" d="M0 0 L10 10"/>\n</g></svg>',
    '2.svg': '<?xml version="1.0"?>\n<svg viewBox="0 0 800 800">\n<g>\n</g>\n</svg>',
    '3.svg': '<svg viewBox="0 0 800 800">\n<path id="0" d="M0 0 L10 10"/>\n<path id="1" d="M0 0 L10"/>\n</svg>',
    '4.svg': 'not an svg at all',
    '5.svg': '<svg>\n<g transform="scale(a)">\n<path id="0" d="M0 0 L1 1"/></g></svg>',
    '6.svg': '<svg>\n\n<path id="0"/></svg>',
  };

  it('skips and reports SVGs without paths or with broken path data, with file and line', async () => {
    const folder = join(scratch(), 'bad', 'thing');
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    const { dataset, sketches } = await readAll({ kind: 'tu-berlin-svg', path: join(scratch(), 'bad') });
    expect(sketches.map((s) => s.id)).toEqual(['thing/1.svg']);
    expect(sketches[0]!.strokes[0]!.x[0]).toBe(1);
    expect(dataset.problems).toEqual([
      { file: join(folder, '2.svg'), reason: expect.stringMatching(/no <path> elements/) },
      { file: join(folder, '3.svg'), line: 3, reason: expect.stringMatching(/<path id="1">: broken path data: .*needs 2 numbers/) },
      { file: join(folder, '4.svg'), reason: expect.stringMatching(/not an SVG/) },
      { file: join(folder, '5.svg'), line: 2, reason: expect.stringMatching(/non-numeric/) },
      { file: join(folder, '6.svg'), line: 3, reason: expect.stringMatching(/no "d" attribute/) },
    ]);
    const strict = await openDataset({ kind: 'tu-berlin-svg', path: join(scratch(), 'bad'), strict: true });
    await expect(async () => {
      for await (const _ of strict.sketches());
    }).rejects.toThrow(`${join(folder, '2.svg')}: no <path> elements`);
    expect(readdirSync(folder)).toHaveLength(6);
  });
});
