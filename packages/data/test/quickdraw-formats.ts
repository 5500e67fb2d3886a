// Quick, Draw! data in the forms the reader takes, built from real simplified drawings: the test files write
// raw ndjson and .bin versions of the shared files rather than keeping copies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickDrawDir } from './shared-data.js';

/** Strokes as `[xs, ys]` (or `[xs, ys, times]`). */
export type Drawing = number[][][];

/** The non-blank lines of a shared simplified ndjson file. */
export const linesOf = (category: string) =>
  readFileSync(join(quickDrawDir, `${category}.ndjson`), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0);

/** Quick, Draw!'s .bin record layout (little-endian). */
export function encodeBinary(records: { keyId: bigint; drawing: Drawing }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { keyId, drawing } of records) {
    const header = Buffer.alloc(17);
    header.writeBigUInt64LE(keyId, 0);
    header.write('US', 8, 'latin1');
    header.writeUInt8(1, 10);
    header.writeUInt32LE(1490000000, 11);
    header.writeUInt16LE(drawing.length, 15);
    parts.push(header);
    for (const [xs, ys] of drawing) {
      const count = Buffer.alloc(2);
      count.writeUInt16LE(xs!.length, 0);
      parts.push(count, Buffer.from(xs!), Buffer.from(ys!));
    }
  }
  return Buffer.concat(parts);
}

/** A raw-format version of a simplified drawing: screen pixels at another offset and scale, floats, times in ms. */
export function rawDrawing(drawing: Drawing, startMs = 0): Drawing {
  let clock = startMs;
  return drawing.map(([xs, ys]) => [xs!.map((x) => x * 2.37 + 311.125), ys!.map((y) => y * 2.37 - 47.5), xs!.map(() => (clock += 16.7))]);
}
