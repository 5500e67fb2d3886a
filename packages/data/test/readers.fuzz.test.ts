// Property-based fuzz tests of every sketch parser (Quick, Draw! simplified and raw ndjson and .bin, TU-Berlin SVG
// and PNG), through the readers as a user meets them (openDataset on one file written to a temp folder): random
// inputs and mutations of the real files in ../shared/data (byte flips, truncation, splices of another file,
// duplicated and deleted ranges, numbers replaced by huge, tiny or non-finite ones). Whatever the input, reading
// never throws anything but an InputError naming the file, every skipped record is reported with that file, and
// every sketch that comes out can be drawn (finite, with ink). Seeded and bounded: see test/fuzz.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { pngChunk } from './png-chunks.js';
import { expectCleanOutcome, fuzzParameters, fuzzTestTimeoutMs } from '../../../test/fuzz.js';
import { InputError, openDataset, rasterize, type Sketch } from '../src/index.js';
import { inflatedPngBytes } from '../src/readers/tu-berlin-png.js';
import { encodeBinary, linesOf, rawDrawing, type Drawing } from './quickdraw-formats.js';
import { scratchFolder } from './read-dataset.js';
import { sharedData, tuBerlinPngDir, tuBerlinSvgDir } from './shared-data.js';

const scratch = scratchFolder('readers-fuzz');
const RUNS = 80;

// ---- What every case must satisfy --------------------------------------------------------------------------

/** A sketch that came out of a reader renders to a finite image with some ink. */
function expectDrawable(sketch: Sketch): void {
  const data = sketch.strokes.length > 0 ? rasterize(sketch.strokes, { size: 16 }).data : sketch.image!.data;
  expect(data.every(Number.isFinite), `${sketch.id}: finite image`).toBe(true);
  expect(data.some((v) => v > 0), `${sketch.id}: some ink`).toBe(true);
}

async function readFile(kind: string, file: string, strict: boolean, extra: Record<string, unknown>) {
  const dataset = await openDataset({ kind, path: file, strict, ...extra });
  const sketches: Sketch[] = [];
  for await (const sketch of dataset.sketches()) {
    expectDrawable(sketch);
    sketches.push(sketch);
  }
  return { sketches, problems: dataset.problems };
}

/**
 * Reads `bytes` as file `name` (in a folder named after a category) with the reader `kind`: skipping mode never
 * throws and names the file in every problem; strict mode succeeds or throws an InputError naming the file.
 */
async function expectReadCleanly(kind: string, name: string, bytes: Uint8Array, extra: Record<string, unknown> = {}): Promise<void> {
  const folder = join(scratch(), kind, 'thing');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  writeFileSync(file, bytes);
  const skipping = await expectCleanOutcome(() => readFile(kind, file, false, extra), file, [InputError]);
  expect(skipping.ok, 'skipping mode reports, it does not throw').toBe(true);
  if (!skipping.ok) return;
  for (const problem of skipping.value.problems) {
    expect(problem.file).toBe(file);
    expect(problem.reason.length).toBeGreaterThan(0);
  }
  const strict = await expectCleanOutcome(() => readFile(kind, file, true, extra), file, [InputError]);
  // Strict mode fails exactly when skipping mode had something to report.
  expect(strict.ok).toBe(skipping.value.problems.length === 0);
}

// ---- Mutations of real files -------------------------------------------------------------------------------

/** Positions are fractions of the current length, so one mutation fits any file. */
type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; from: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'number'; at: number; value: string };

/** Numbers that break naive parsers: huge, denormal, non-finite in JSON, out of every box. */
const HOSTILE_NUMBERS = ['1e308', '-1e308', '1e999', '1e300', '1e-320', '5e-324', '-0', '1e6', '1000001', '65535', '4294967295', '99999999999999999999', '0.0000001'];

/** Uniform in [0, 1): fc.double is biased to its ends, which would put nearly every mutation at a file's first or last byte. */
const fraction = fc.noBias(fc.integer({ min: 0, max: 2 ** 30 - 1 })).map((n) => n / 2 ** 30);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fraction, xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('splice' as const), at: fraction, from: fraction, length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fraction, length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('number' as const), at: fraction, value: fc.constantFrom(...HOSTILE_NUMBERS) }),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 5 });

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** `bytes` with the mutations applied in order; splices take their bytes from `donor`. */
function mutate(bytes: Buffer, steps: readonly Mutation[], donor: Buffer): Buffer {
  let out = bytes;
  for (const step of steps) {
    const at = Math.floor(step.at * out.length);
    switch (step.kind) {
      case 'flip':
        if (out.length === 0) break;
        out = Buffer.from(out);
        out[at] = out[at]! ^ step.xor;
        break;
      case 'truncate':
        out = out.subarray(0, at);
        break;
      case 'splice': {
        const from = Math.floor(step.from * donor.length);
        out = Buffer.concat([out.subarray(0, at), donor.subarray(from, from + step.length), out.subarray(at)]);
        break;
      }
      case 'duplicate':
        out = Buffer.concat([out.subarray(0, at + step.length), out.subarray(at, at + step.length), out.subarray(at + step.length)]);
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + step.length)]);
        break;
      case 'number': {
        // The first run of digits from `at` becomes the hostile number.
        let start = at;
        while (start < out.length && !isDigit(out[start])) start++;
        let end = start;
        while (end < out.length && isDigit(out[end])) end++;
        if (start < out.length) out = Buffer.concat([out.subarray(0, start), Buffer.from(step.value), out.subarray(end)]);
        break;
      }
    }
  }
  return out;
}

/** A property over a real seed file and a donor for splices, both picked from `seeds`. */
const mutatedSeed = (seeds: readonly Buffer[]) => fc.tuple(fc.constantFrom(...seeds), fc.constantFrom(...seeds), mutations).map(([seed, donor, steps]) => mutate(seed, steps, donor));

// ---- Seeds: real files from ../shared/data -----------------------------------------------------------------

const CATEGORIES = ['cat', 'The Eiffel Tower', 'zigzag', 'bicycle', 'hurricane'];
/** A few real drawings per category: enough structure, and each case stays fast. */
const realLines = (category: string) => linesOf(category).slice(0, 6);
const drawings = (category: string) => realLines(category).map((line) => JSON.parse(line) as { key_id: string; drawing: Drawing });

const simplifiedSeeds = CATEGORIES.map((c) => Buffer.from(`${realLines(c).join('\n')}\n`));
const rawSeeds = CATEGORIES.map((c) => Buffer.from(`${drawings(c).map(({ key_id, drawing }) => JSON.stringify({ key_id, drawing: rawDrawing(drawing) })).join('\n')}\n`));
const binarySeeds = CATEGORIES.map((c) => encodeBinary(drawings(c).map(({ key_id, drawing }) => ({ keyId: BigInt(key_id), drawing }))));

const svgFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? svgFiles(join(dir, entry.name)) : entry.name.endsWith('.svg') ? [join(dir, entry.name)] : []));
const svgSeeds = [...svgFiles(tuBerlinSvgDir), ...svgFiles(join(sharedData, 'tu-berlin-svg-sample/MLS'))].map((file) => readFileSync(file));
const pngSeeds = ['ant', 'cat', 'sun', 'violin'].map((c) => readFileSync(join(tuBerlinPngDir, c, readdirSync(join(tuBerlinPngDir, c)).sort()[0]!)));

// ---- Random inputs -----------------------------------------------------------------------------------------

const numberText = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.constantFrom(...HOSTILE_NUMBERS));
const numberList = fc.array(numberText, { maxLength: 8 }).map((values) => `[${values.join(',')}]`);
const strokeText = fc.oneof(
  fc.tuple(numberList, numberList).map(([xs, ys]) => `[${xs},${ys}]`),
  fc.tuple(numberList, numberList, numberList).map(([xs, ys, ts]) => `[${xs},${ys},${ts}]`),
  fc.json(),
);
const drawingLine = fc.tuple(fc.option(fc.oneof(fc.string(), fc.integer())), fc.array(strokeText, { maxLength: 5 })).map(
  ([keyId, strokes]) => `{${keyId === null ? '' : `"key_id":${JSON.stringify(keyId)},`}"drawing":[${strokes.join(',')}]}`,
);
const ndjsonText = fc.array(fc.oneof(drawingLine, fc.json(), fc.string(), fc.constantFrom('', '\r', '\ufeff{}', '{"drawing":[[[1],[1]]]')), { maxLength: 8 }).map((lines) => lines.join('\n'));

const binaryRecords = fc.array(
  fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 65_535 }), fc.array(fc.integer({ min: 0, max: 65_535 }), { maxLength: 4 }), fc.uint8Array({ maxLength: 200 })),
  { maxLength: 4 },
).map((records) =>
  Buffer.concat(
    records.flatMap(([keyId, strokeCount, pointCounts, tail]) => {
      const header = Buffer.alloc(17);
      header.writeBigUInt64LE(keyId, 0);
      header.writeUInt16LE(strokeCount, 15);
      const counts = pointCounts.map((n) => Buffer.from([n & 0xff, n >> 8]));
      return [header, ...counts, Buffer.from(tail)];
    }),
  ),
);

const transformText = fc.oneof(
  fc.constantFrom('scale(1e308)', 'scale(0)', 'rotate(45 400 400)', 'skewX(90)', 'translate(1e300, 0)', 'matrix(1 0 0 1 0 0)', 'scale(', 'translate(1 2 3)'),
  fc.tuple(fc.constantFrom('translate', 'scale', 'rotate', 'skewY', 'matrix'), fc.array(numberText, { maxLength: 6 })).map(([name, args]) => `${name}(${args.join(' ')})`),
);
const pathData = fc.array(fc.tuple(fc.constantFrom(...'MmLlHhVvCcSsQqTtZzA'), fc.array(numberText, { maxLength: 6 })), { maxLength: 10 }).map((commands) =>
  commands.map(([c, args]) => `${c}${args.join(' ')}`).join(' '),
);
const svgElement = fc.oneof(
  fc.tuple(fc.option(fc.nat(50)), pathData).map(([id, d]) => `<path${id === null ? '' : ` id="${id}"`} d="${d}"/>`),
  transformText.map((t) => `<g transform="${t}">`),
  fc.constant('</g>'),
  fc.constantFrom('<!--', '-->', '<![CDATA[', ']]>', '<?xml', '<!DOCTYPE svg>', '<a', '"', "'", '<path', '/>', '&amp;', '<path d="M 0 0"'),
  fc.string(),
);
const svgText = fc.array(svgElement, { maxLength: 12 }).map((parts) => `<svg viewBox="0 0 800 800">\n${parts.join('\n')}\n</svg>`);


/** The chunks of a (mutated) PNG with their CRCs recomputed, so a decoder gets past the CRC check to the data. */
function withFreshCrcs(bytes: Buffer): Buffer {
  const parts = [bytes.subarray(0, 8)];
  let at = 8;
  while (bytes.length - at >= 12) {
    const length = bytes.readUInt32BE(at);
    if (length > bytes.length - at - 12) break;
    parts.push(pngChunk(bytes.toString('latin1', at + 4, at + 8), bytes.subarray(at + 8, at + 8 + length)));
    at += 12 + length;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

const side = fc.oneof(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(4096, 4097, 2 ** 31, 2 ** 32 - 1));
const randomPng = fc
  .record({
    width: side,
    height: side,
    bitDepth: fc.constantFrom(1, 2, 4, 8, 16, 3),
    colorType: fc.constantFrom(0, 2, 3, 4, 6, 5),
    interlace: fc.constantFrom(0, 1, 2),
    palette: fc.option(fc.uint8Array({ maxLength: 48 })),
    pixels: fc.oneof(fc.constant('exact' as const), fc.constant('none' as const), fc.uint8Array({ maxLength: 300 })),
    fill: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  })
  .map(({ width, height, bitDepth, colorType, interlace, palette, pixels, fill }) => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([bitDepth, colorType, 0, 0, interlace], 8);
    // Pixel data of exactly the declared size (small images only), random bytes, or none.
    const need = width * height <= 48 * 48 ? inflatedPngBytes({ width, height, bitDepth, colorType, interlaced: interlace === 1 }) : 0;
    const raw = pixels === 'exact' ? Buffer.alloc(Number.isFinite(need) ? need : 0).map((_, i) => fill[i % fill.length]!) : undefined;
    const idat = pixels === 'none' ? [] : [pngChunk('IDAT', raw ? deflateSync(raw) : Buffer.from(pixels as Uint8Array))];
    return Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      pngChunk('IHDR', header),
      ...(palette ? [pngChunk('PLTE', Buffer.from(palette))] : []),
      ...idat,
      pngChunk('IEND', Buffer.alloc(0)),
    ]);
  });

// ---- The properties ----------------------------------------------------------------------------------------

const property = (name: string, inputs: fc.Arbitrary<Uint8Array>, read: (bytes: Uint8Array) => Promise<void>, runs = RUNS) =>
  it(name, async () => fc.assert(fc.asyncProperty(inputs, read), fuzzParameters(runs)), fuzzTestTimeoutMs(runs));

describe('Quick, Draw! ndjson under fuzzing', () => {
  const read = (bytes: Uint8Array) => expectReadCleanly('quickdraw', 'cat.ndjson', bytes);
  property('mutated real simplified files', mutatedSeed(simplifiedSeeds), read);
  property('mutated raw files (real drawings at screen scale, with times)', mutatedSeed(rawSeeds), read);
  property('random lines (drawing-shaped, any JSON, any text)', ndjsonText.map((text) => Buffer.from(text)), read);
  property('random lines with a small line-length limit', ndjsonText.map((text) => Buffer.from(text)), (bytes) => expectReadCleanly('quickdraw', 'cat.ndjson', bytes, { maxLineBytes: 64 }));
});

describe('Quick, Draw! .bin under fuzzing', () => {
  const read = (bytes: Uint8Array) => expectReadCleanly('quickdraw', 'cat.bin', bytes);
  property('mutated real drawings in .bin form', mutatedSeed(binarySeeds), read);
  property('random records (any declared counts) and random bytes', fc.oneof(binaryRecords, fc.uint8Array({ maxLength: 2000 })), read);
});

describe('TU-Berlin SVG under fuzzing', () => {
  const read = (bytes: Uint8Array) => expectReadCleanly('tu-berlin-svg', '1.svg', bytes);
  property('mutated real SVGs', mutatedSeed(svgSeeds), read);
  property('random documents (paths, groups, transforms, broken markup)', svgText.map((text) => Buffer.from(text)), read);
});

describe('TU-Berlin PNG under fuzzing', () => {
  const read = (bytes: Uint8Array) => expectReadCleanly('tu-berlin-png', '1.png', bytes);
  property('mutated real PNGs', mutatedSeed(pngSeeds), read, 60);
  property('mutated real PNGs with their CRCs fixed (the decoder sees the broken data)', mutatedSeed(pngSeeds).map(withFreshCrcs), read, 60);
  property('random headers (any size, depth, color type, interlace) and pixel data', randomPng, read, 60);
});
