// Hostile and broken inputs for the sketch readers (issue 14): decompression bombs, super-linear parsing,
// absurd declared sizes, endless lines and coordinates that would render blank. Each is refused clearly (a
// reported problem naming the file, or an InputError in strict mode) and in bounded time: the inputs are of a
// hostile size and the tests' timeouts bound them (the fixed code takes well under a second on each).
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { pngChunk } from './png-chunks.js';
import {
  decodePng,
  flattenPathData,
  InputError,
  MAX_NDJSON_LINE_BYTES,
  MAX_PNG_SIDE,
  MAX_POINTS_PER_SKETCH,
  MAX_SVG_BYTES,
  MAX_SVG_PATHS,
  parseQuickDrawLine,
  parseSvgStrokes,
  parseTransform,
  PathDataError,
  rasterize,
  openDataset,
} from '../src/index.js';
import { readAll, scratchFolder } from './read-dataset.js';

const scratch = scratchFolder('hostile-inputs-test');
/** Generous for the fixed code (well under a second), far below what the super-linear code took. */
const BOUNDED_MS = 20_000;

/** A fresh folder under the scratch folder. */
function folder(...names: string[]): string {
  const path = join(scratch(), ...names);
  mkdirSync(path, { recursive: true });
  return path;
}

// ---- PNG -------------------------------------------------------------------------------------------------------


interface PngSpec {
  width: number;
  height: number;
  bitDepth?: number;
  colorType?: number;
  interlace?: number;
}

/** A PNG from its header and its (already deflated) pixel data; `idat: undefined` leaves the IDAT chunk out. */
function makePng({ width, height, bitDepth = 8, colorType = 0, interlace = 0 }: PngSpec, idat: Buffer | undefined): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([bitDepth, colorType, 0, 0, interlace], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, pngChunk('IHDR', header), ...(idat ? [pngChunk('IDAT', idat)] : []), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Filtered 8-bit gray rows (filter byte 0) of one value. */
function grayRows(width: number, height: number, value: number): Buffer {
  const rows = Buffer.alloc((width + 1) * height, value);
  for (let r = 0; r < height; r++) rows[r * (width + 1)] = 0;
  return rows;
}

async function pngProblems(name: string, bytes: Buffer) {
  const dir = folder('png', name, 'thing');
  const file = join(dir, '1.png');
  writeFileSync(file, bytes);
  const { dataset, sketches } = await readAll({ kind: 'tu-berlin-png', path: join(scratch(), 'png', name) });
  return { file, sketches, problems: dataset.problems };
}

describe('PNG: decompression bombs and missing pixel data', () => {
  it(
    'refuses a tiny PNG that declares 30000x30000 from its header, before decoding (reported with the file)',
    async () => {
      const bytes = makePng({ width: 30000, height: 30000 }, deflateSync(Buffer.alloc(16)));
      expect(bytes.length).toBeLessThan(100);
      expect(() => decodePng(bytes, 'tiny.png')).toThrow(InputError);
      expect(() => decodePng(bytes, 'tiny.png')).toThrow(`tiny.png: unreadable PNG (30000x30000 pixels is too large: at most ${MAX_PNG_SIDE} per side`);
      const { file, sketches, problems } = await pngProblems('tiny-bomb', bytes);
      expect(sketches).toEqual([]);
      expect(problems).toEqual([{ file, reason: expect.stringMatching(/30000x30000 pixels is too large/) }]);
    },
    BOUNDED_MS,
  );

  it(
    'refuses a real bomb (16384x16384 of highly compressible pixel data) without inflating it',
    async () => {
      const rowBytes = 16384 / 8 + 1; // 1-bit gray
      const bytes = makePng({ width: 16384, height: 16384, bitDepth: 1 }, deflateSync(Buffer.alloc(rowBytes * 16384), { level: 9 }));
      expect(bytes.length).toBeLessThan(100_000);
      const { file, problems } = await pngProblems('real-bomb', bytes);
      expect(problems).toEqual([{ file, reason: expect.stringMatching(/16384x16384 pixels is too large/) }]);
    },
    BOUNDED_MS,
  );

  it(
    'refuses pixel data that inflates to more than the declared image holds (an interlaced bomb)',
    async () => {
      const bytes = makePng({ width: 64, height: 64, interlace: 1 }, deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
      expect(() => decodePng(bytes, 'interlaced.png')).toThrow(/interlaced\.png: unreadable PNG \(the pixel data inflates to more than the \d+ bytes of a 64x64 image\)/);
    },
    BOUNDED_MS,
  );

  it('reports missing, truncated and short pixel data instead of giving a blank image', async () => {
    const spec = { width: 20, height: 10 };
    expect(() => decodePng(makePng(spec, undefined), 'none.png')).toThrow('none.png: unreadable PNG (no pixel data: no IDAT chunk)');
    const complete = makePng(spec, deflateSync(grayRows(20, 10, 0)));
    // Cut inside the IDAT chunk.
    const cut = complete.subarray(0, 8 + 25 + 8 + 5);
    expect(() => decodePng(cut, 'cut.png')).toThrow(/cut\.png: unreadable PNG \(truncated: the IDAT chunk declares \d+ bytes, the file ends 5 bytes into it\)/);
    // A complete zlib stream with only half the rows.
    const short = makePng(spec, deflateSync(grayRows(20, 5, 0)));
    expect(() => decodePng(short, 'short.png')).toThrow('short.png: unreadable PNG (pixel data is short: 105 of the 210 bytes of a 20x10 image)');
    expect(decodePng(complete, 'complete.png')).toMatchObject({ width: 20, height: 10 });
    // A second header declaring a bomb's size after a small first one (pngjs takes the last).
    const header = complete.subarray(8, 8 + 25);
    const bigHeader = makePng({ width: 30000, height: 30000 }, undefined).subarray(8, 8 + 25);
    const twoHeaders = Buffer.concat([complete.subarray(0, 8), header, bigHeader, complete.subarray(8 + 25)]);
    expect(() => decodePng(twoHeaders, 'two.png')).toThrow('two.png: unreadable PNG (a second IHDR header chunk)');
  });

  it('reports a blank PNG (no ink anywhere) as a bad record; strict mode throws naming the file', async () => {
    const { file, sketches, problems } = await pngProblems('blank', makePng({ width: 8, height: 8 }, deflateSync(grayRows(8, 8, 255))));
    expect(sketches).toEqual([]);
    expect(problems).toEqual([{ file, reason: 'blank image (no ink anywhere)' }]);
    const strict = await openDataset({ kind: 'tu-berlin-png', path: join(scratch(), 'png', 'blank'), strict: true });
    await expect(async () => {
      for await (const _ of strict.sketches());
    }).rejects.toThrow(`${file}: blank image`);
  });
});

// ---- SVG -------------------------------------------------------------------------------------------------------

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 800">\n${body}\n</svg>\n`;

describe('SVG: linear parsing and limits', () => {
  it(
    'parses 100k unclosed "<a" (200 KB) in linear time and names the problem',
    () => {
      // Closed by the '>' of </svg>: one long tag.
      expect(parseSvgStrokes(svg('<a'.repeat(100_000)))).toEqual({ reason: 'no <path> elements (nothing drawn)' });
      expect(parseSvgStrokes(`<svg>\n${'<a'.repeat(100_000)}`)).toEqual({ reason: 'unclosed <a> tag', line: 2 });
    },
    BOUNDED_MS,
  );

  it(
    'counts lines incrementally: 40k elements on 40k lines, and the line of a bad path at the end',
    () => {
      const result = parseSvgStrokes(svg(`${'<g></g>\n'.repeat(40_000)}<path id="0" d="M 0 0 L 10 10"/>\n<path id="1" d="M 0 0 Q"/>`));
      expect(result).toEqual({ reason: expect.stringMatching(/<path id="1">: broken path data/), line: 40_003 });
    },
    BOUNDED_MS,
  );

  it(
    'reads long runs of the same element and attribute-like text in linear time',
    () => {
      const many = parseSvgStrokes(svg(`<path id="0" d="M 0 0 L 10 10" ${'x'.repeat(200_000)}/>${'<!-- c -->'.repeat(20_000)}`));
      expect('strokes' in many && many.strokes).toHaveLength(1);
      expect(parseSvgStrokes(svg('<!--'.repeat(100_000)))).toEqual({ reason: 'unclosed comment (<!-- without -->)', line: 2 });
    },
    BOUNDED_MS,
  );

  it('refuses more than MAX_SVG_PATHS paths, more than MAX_POINTS_PER_SKETCH points, and larger documents', () => {
    const paths = parseSvgStrokes(svg('<path d="M 0 0 L 1 1"/>\n'.repeat(MAX_SVG_PATHS + 1)));
    expect(paths).toEqual({ reason: `more than ${MAX_SVG_PATHS} <path> elements`, line: MAX_SVG_PATHS + 2 });
    // Each big curve flattens into 256 pieces.
    const curves = ` C 0 80000 80000 80000 80000 0 C 80000 -80000 0 -80000 0 0`.repeat(Math.ceil(MAX_POINTS_PER_SKETCH / 512) + 1);
    expect(parseSvgStrokes(svg(`<path id="0" d="M 0 0${curves}"/>`))).toEqual({ reason: `<path id="0">: more than ${MAX_POINTS_PER_SKETCH} points`, line: 2 });
    expect(parseSvgStrokes(svg(' '.repeat(MAX_SVG_BYTES)))).toEqual({ reason: `larger than ${MAX_SVG_BYTES} characters (a sketch is a few KB)` });
  });

  it('the reader refuses a file larger than MAX_SVG_BYTES without reading it', async () => {
    const dir = folder('svg-big', 'thing');
    const file = join(dir, '1.svg');
    writeFileSync(file, svg(`<path d="M 0 0 L 1 1"/>${' '.repeat(MAX_SVG_BYTES)}`));
    const { dataset, sketches } = await readAll({ kind: 'tu-berlin-svg', path: join(scratch(), 'svg-big') });
    expect(sketches).toEqual([]);
    expect(dataset.problems).toEqual([{ file, reason: expect.stringMatching(new RegExp(`^file of \\d+ bytes is larger than ${MAX_SVG_BYTES} bytes`)) }]);
  });

  it(
    'tokenizes path data and transform lists in linear time',
    () => {
      expect(flattenPathData(`M 0 0${' L 1 1'.repeat(200_000)}`)).toEqual([{ x: [0, 1], y: [0, 1] }]);
      expect(() => flattenPathData(`M 0 0 L 1 1${' '.repeat(200_000)}!`)).toThrow(PathDataError);
      expect(() => flattenPathData(`M 0 0 L 1 1${' '.repeat(200_000)}!`)).toThrow(/unexpected "!" at character 200011/);
      expect(parseTransform('translate(1)'.repeat(100_000))).toEqual([1, 0, 0, 1, 100_000, 0]);
      expect(() => parseTransform(`${'translate(1) '.repeat(100_000)}nope`)).toThrow(/cannot read "nope"/);
    },
    BOUNDED_MS,
  );

  it('reports coordinates that would render blank: 1e300, scale(1e308), with the line of the path', () => {
    expect(parseSvgStrokes(svg('<path id="0" d="M 0 0 L 1e300 1"/>'))).toEqual({ reason: expect.stringMatching(/^<path id="0">: point 1 is \(Infinity, 1\): not finite/), line: 2 });
    expect(parseSvgStrokes(svg('<g transform="scale(1e308)">\n<path id="0" d="M 0 0 L 5 5"/></g>'))).toEqual({
      reason: expect.stringMatching(/^<path id="0">: point 1 is \(Infinity, Infinity\): not finite/),
      line: 3,
    });
    expect(parseSvgStrokes(svg('<path d="M 0 0 L 2e6 1"/>'))).toEqual({ reason: '<path>: point 1 is (2000000, 1): beyond +-1000000', line: 2 });
  });
});

// ---- Quick, Draw! ----------------------------------------------------------------------------------------------

const drawingLine = (keyId: number) => JSON.stringify({ word: 'cat', key_id: String(keyId), drawing: [[[0, 10, 20], [0, 10, 0]]] });

describe('Quick, Draw! ndjson: line-length limit', () => {
  it('reports a line longer than maxLineBytes with file and line, skips to the next line, and keeps reading', async () => {
    const dir = folder('ndjson-long');
    const file = join(dir, 'cat.ndjson');
    const long = `{"word":"cat","key_id":"2","drawing":[[[${'1,'.repeat(3000)}1],[1]]]}`;
    writeFileSync(file, [drawingLine(1), long, drawingLine(3), `${'x'.repeat(2000)}`].join('\n'));
    const { dataset, sketches } = await readAll({ kind: 'quickdraw', path: file, maxLineBytes: 1000 });
    expect(sketches.map((s) => s.id)).toEqual(['1', '3']);
    expect(dataset.problems).toEqual([
      { file, line: 2, reason: 'line longer than 1000 bytes' },
      { file, line: 4, reason: 'line longer than 1000 bytes' },
    ]);
    const strict = await openDataset({ kind: 'quickdraw', path: file, maxLineBytes: 1000, strict: true });
    await expect(async () => {
      for await (const _ of strict.sketches());
    }).rejects.toThrow(`${file}:2: line longer than 1000 bytes`);
    await expect(openDataset({ kind: 'quickdraw', path: file, maxLineBytes: 0 })).rejects.toThrow(/maxLineBytes must be a positive integer/);
  });

  it('enforces MAX_NDJSON_LINE_BYTES by default (a line just over it), across read chunks, with CRLF line ends', async () => {
    const dir = folder('ndjson-default');
    const file = join(dir, 'cat.ndjson');
    const over = `{"word":"cat","key_id":"x","padding":"${'p'.repeat(MAX_NDJSON_LINE_BYTES)}"}`;
    writeFileSync(file, `${drawingLine(1)}\r\n${over}\r\n${drawingLine(3)}\r\n`);
    const { dataset, sketches } = await readAll({ kind: 'quickdraw', path: file });
    expect(sketches.map((s) => s.id)).toEqual(['1', '3']);
    expect(dataset.problems).toEqual([{ file, line: 2, reason: `line longer than ${MAX_NDJSON_LINE_BYTES} bytes` }]);
  });
});

/** One .bin record header (key id 7) declaring `strokes` strokes. */
function binHeader(strokes: number): Buffer {
  const header = Buffer.alloc(17);
  header.writeBigUInt64LE(7n, 0);
  header.write('US', 8, 'latin1');
  header.writeUInt16LE(strokes, 15);
  return header;
}

describe('Quick, Draw! .bin: declared counts', () => {
  it(
    'refuses a record declaring more points than a sketch has, without reading the rest of a 30 MB file',
    async () => {
      const dir = folder('bin-huge');
      const file = join(dir, 'cat.bin');
      const stroke = Buffer.alloc(2);
      stroke.writeUInt16LE(65_535, 0);
      // 65535 strokes of 65535 points declared, then 30 MB of (point) bytes.
      writeFileSync(file, Buffer.concat([binHeader(65_535), stroke, Buffer.alloc(30 * 1024 * 1024, 1)]));
      const { dataset, sketches } = await readAll({ kind: 'quickdraw', path: file });
      expect(sketches).toEqual([]);
      expect(dataset.problems).toEqual([
        { file, line: 1, reason: `record key_id 7 declares more than ${MAX_POINTS_PER_SKETCH} points: not a sketch; the rest of the file cannot be read` },
      ]);
    },
    BOUNDED_MS,
  );
});

describe('coordinates that would normalize or render to nothing', () => {
  it('normalizes raw coordinates of 1e-320 (a denormal extent) to finite values in the box', () => {
    const parsed = parseQuickDrawLine(JSON.stringify({ key_id: '1', drawing: [[[0, 1e-320, 5e-321], [0, 0, 1e-320], [0, 1, 2]]] }));
    expect(parsed).toMatchObject({ format: 'raw' });
    const stroke = (parsed as Exclude<typeof parsed, string>).strokes[0]!;
    expect(Array.from(stroke.x)).toEqual([0, 255, expect.closeTo(127.5, 0)]);
    expect(Array.from(stroke.y)).toEqual([0, 0, 255]);
    expect(Math.max(...rasterize([stroke], { size: 32 }).data)).toBe(1);
  });

  it('rasterize refuses coordinates that are not finite instead of drawing a blank image', () => {
    const stroke = { x: Float32Array.from([0, NaN, 2]), y: Float32Array.from([0, 1, 2]) };
    expect(() => rasterize([stroke])).toThrow('rasterize: stroke 0: point 1 is (NaN, 1): not finite');
    expect(() => rasterize([{ x: Float32Array.from([0, Infinity]), y: Float32Array.from([0, 0]) }])).toThrow(/not finite/);
  });
});
