// Fuzz: downloadFile against a local server that answers each request in a random way (error statuses, bodies
// cut short with and without a size, stalls, HTML pages, JSON that is not drawings, misplaced or garbled
// Content-Range, Range ignored, the file changing between requests). Served files are real Quick, Draw! files
// from ../shared/data (as ndjson, and packed into the .bin format) and mutations of them. After every call: either the file is complete and identical to
// the server's current file (nothing left beside it), or a DownloadError names the URL and the file, and a file
// that was there before is untouched. A part left behind is always a prefix of one version: nothing spliced.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectCleanOutcome, fuzzParameters, fuzzTestTimeoutMs } from '../../../test/fuzz.js';
import { DownloadError, downloadFile, type DownloadFormat } from '../src/index.js';
import { quickDrawDir } from './shared-data.js';

type Behaviour =
  | { kind: 'honest' }
  | { kind: 'status'; status: number }
  | { kind: 'cut'; at: number } // send this fraction of the body, then drop the connection
  | { kind: 'stall'; at: number } // send this fraction of the body, then nothing
  | { kind: 'html' } // 200 with a captive portal's page
  | { kind: 'not-drawings' } // 200 with JSON that is no Quick, Draw! record
  | { kind: 'shifted-range'; by: number }
  | { kind: 'garbled-range' }
  | { kind: 'ignore-range' }
  | { kind: 'no-length'; cut: number | undefined } // a 200 with no size, maybe cut (mid-line: see below)
  | { kind: 'change' }; // the file is replaced by the other version, then served honestly

/** Where in a body a cut falls, as a fraction (evenly spread: fc.double clusters at the extremes). */
const fraction = fc.integer({ min: 0, max: 999 }).map((permille) => permille / 1000);

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'honest' as const }) },
  fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(400, 403, 404, 408, 410, 429, 500, 502, 503, 204, 304) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fraction }) },
  fc.record({ kind: fc.constant('stall' as const), at: fraction }),
  fc.constant({ kind: 'html' as const }),
  fc.constant({ kind: 'not-drawings' as const }),
  fc.record({ kind: fc.constant('shifted-range' as const), by: fc.integer({ min: -5000, max: 5000 }).filter((by) => by !== 0) }),
  fc.constant({ kind: 'garbled-range' as const }),
  fc.constant({ kind: 'ignore-range' as const }),
  fc.record({ kind: fc.constant('no-length' as const), cut: fc.option(fraction, { nil: undefined }) }),
  { weight: 2, arbitrary: fc.constant({ kind: 'change' as const }) },
);

const CATEGORIES = ['cat', 'dog', 'airplane', 'apple', 'The Eiffel Tower'];
/** The real drawings of each category, one ndjson line each. */
const real = new Map<string, string[]>();

/** One drawing as a .bin record (see readers/quickdraw-binary.ts). */
function binRecord(line: string): Buffer {
  const { key_id: keyId, drawing } = JSON.parse(line) as { key_id: string; drawing: number[][][] };
  const header = Buffer.alloc(17);
  header.writeBigUInt64LE(BigInt(keyId), 0);
  header.write('US', 8, 'latin1');
  header[10] = 1;
  header.writeUInt16LE(drawing.length, 15);
  const strokes = drawing.map(([xs, ys]) => {
    const count = Buffer.alloc(2);
    count.writeUInt16LE(xs.length);
    return Buffer.concat([count, Buffer.from(xs), Buffer.from(ys)]);
  });
  return Buffer.concat([header, ...strokes]);
}

/** A file of `lines` in the format, and the byte offsets where its records end. */
function encode(format: DownloadFormat, lines: string[]): { bytes: Buffer; recordEnds: Set<number> } {
  const records = lines.map((line) => (format === 'quickdraw-bin' ? binRecord(line) : Buffer.from(line)));
  const recordEnds = new Set<number>();
  let end = 0;
  for (const record of records) recordEnds.add((end += record.length));
  return { bytes: Buffer.concat(records), recordEnds };
}

/** The server's second version of a file: another category, lines dropped, or lines appended (never the same size). */
const otherVersion: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ change: fc.constant('category' as const), category: fc.constantFrom(...CATEGORIES) }),
  fc.record({ change: fc.constant('drop-lines' as const), lines: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ change: fc.constant('append-lines' as const), lines: fc.integer({ min: 1, max: 50 }), category: fc.constantFrom(...CATEGORIES) }),
);

type Change = { change: 'category'; category: string } | { change: 'drop-lines'; lines: number } | { change: 'append-lines'; lines: number; category: string };

function makeVersions(category: string, change: Change): [string[], string[]] {
  const first = real.get(category)!;
  let second: string[];
  if (change.change === 'category') second = real.get(change.category)!;
  else if (change.change === 'drop-lines') second = first.slice(change.lines);
  else second = [...first, ...real.get(change.category)!.slice(0, change.lines)];
  // Equal sizes would make a complete earlier file look current (a complete file is skipped by its size).
  if (second.length === first.length) second = [...second, first[0]];
  return [first, second];
}

type Version = ReturnType<typeof encode>;

/** What the server does, per fuzz case. */
const state = { current: undefined as unknown as Version, other: undefined as unknown as Version, queue: [] as Behaviour[], stalled: [] as ServerResponse[] };
const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
const PAGE = Buffer.from('<!DOCTYPE html><html><body>Please sign in to use the Wi-Fi</body></html>\n');
const NOT_DRAWINGS = Buffer.from('{"error":{"code":429,"message":"quota exceeded"}}\n');

function serve(request: IncomingMessage, response: ServerResponse) {
  const now = state.queue.shift() ?? { kind: 'honest' };
  if (now.kind === 'change') [state.current, state.other] = [state.other, state.current];
  const body = state.current.bytes;
  const end = (status: number, headers: Record<string, string | number>, bytes: Buffer) =>
    response.writeHead(status, headers).end(request.method === 'HEAD' ? undefined : bytes);
  if (now.kind === 'status') return end(now.status, { 'content-type': 'text/html' }, now.status === 204 || now.status === 304 ? Buffer.alloc(0) : PAGE);
  if (now.kind === 'html') return end(200, { 'content-type': 'text/html', 'content-length': PAGE.length }, PAGE);
  if (now.kind === 'not-drawings') return end(200, { 'content-length': NOT_DRAWINGS.length }, NOT_DRAWINGS);

  const etag = etagOf(body);
  const ifRange = request.headers['if-range'];
  const asked = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const range = now.kind !== 'ignore-range' && (ifRange === undefined || ifRange === etag) ? asked : null;
  const start = range ? Number(range[1]) : 0;
  if (range && start >= body.length) return end(416, { 'content-range': `bytes */${body.length}` }, Buffer.alloc(0));
  const headers: Record<string, string | number> = { etag, 'accept-ranges': 'bytes' };
  const noLength = now.kind === 'no-length' && !range;
  if (!noLength) headers['content-length'] = body.length - start;
  if (range) {
    const shift = now.kind === 'shifted-range' ? now.by : 0;
    headers['content-range'] = now.kind === 'garbled-range' ? 'bytes 0-/x' : `bytes ${start + shift}-${body.length - 1 + shift}/${body.length}`;
  }
  if (noLength) {
    response.useChunkedEncodingByDefault = false; // the body ends where the connection does
    response.shouldKeepAlive = false;
  }
  response.writeHead(range ? 206 : 200, headers);
  if (request.method === 'HEAD') return response.end();
  const rest = body.subarray(start);
  const cut = now.kind === 'cut' || now.kind === 'stall' ? now.at : now.kind === 'no-length' ? now.cut : undefined;
  if (cut === undefined) return response.end(rest);
  let sent = Math.floor(cut * rest.length);
  // Without a size, a cut at a record's end is indistinguishable from the end of a shorter file (the
  // documented limit of servers that send no size), so such cuts fall inside a record.
  if (noLength) while (sent > 0 && state.current.recordEnds.has(sent)) sent--;
  if (now.kind === 'stall') {
    state.stalled.push(response);
    response.write(rest.subarray(0, sent));
    return;
  }
  response.write(rest.subarray(0, sent), () => setTimeout(() => response.socket?.destroy(), 5));
}

let server: Server;
let base: string;

beforeAll(async () => {
  for (const category of CATEGORIES) real.set(category, readFileSync(join(quickDrawDir, `${category}.ndjson`), 'utf8').split(/(?<=\n)/).filter(Boolean));
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const readIfThere = (path: string) => (existsSync(path) ? readFileSync(path) : undefined);
const isPrefixOf = (part: Buffer, whole: Buffer) => part.length <= whole.length && whole.subarray(0, part.length).equals(part);

const RUNS = 60;

describe('downloadFile (fuzz)', () => {
  it.each([['quickdraw-ndjson', 'ndjson'], ['quickdraw-bin', 'bin']] as const)(
    'a %s file from a random, changing, lying or stalling server: a verified copy of the current file, or a DownloadError naming the URL and the file',
    async (format, extension) => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...CATEGORIES),
          otherVersion,
          fc.array(behaviour, { maxLength: 12 }),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          async (category, change, behaviours, callRetries, olderFileThere) => {
            const [first, second] = makeVersions(category, change).map((lines) => encode(format, lines));
            Object.assign(state, { current: first, other: second, queue: [...behaviours], stalled: [] });
            const out = mkdtempSync(join(tmpdir(), 'sketch-download-fuzz-'));
            const dest = join(out, `${category}.${extension}`);
            const url = `${base}/simplified/${encodeURIComponent(`${category}.${extension}`)}`;
            if (olderFileThere) writeFileSync(dest, second.bytes); // complete and verified by an earlier call
            try {
              for (const retries of callRetries) {
                const before = readIfThere(dest);
                const outcome = await expectCleanOutcome(
                  () => downloadFile({ url, dest, retries, format, idleTimeoutMs: 80 }),
                  dest,
                  [DownloadError],
                );
                const after = readIfThere(dest);
                if (outcome.ok) {
                  expect(after && after.equals(state.current.bytes), 'the file is the server\'s current file').toBe(true);
                  expect(outcome.value.bytes).toBe(state.current.bytes.length);
                  expect(existsSync(`${dest}.part`) || existsSync(`${dest}.part.json`), 'nothing left beside it').toBe(false);
                } else {
                  expect(outcome.error.message).toContain(url);
                  expect(after === undefined ? before === undefined : before !== undefined && after.equals(before), 'the file before is untouched').toBe(true);
                }
                const part = readIfThere(`${dest}.part`);
                if (part) expect(isPrefixOf(part, first.bytes) || isPrefixOf(part, second.bytes), 'a part is a prefix of one version, never a splice').toBe(true);
              }
            } finally {
              for (const response of state.stalled) response.destroy();
              rmSync(out, { recursive: true, force: true });
            }
          },
        ),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS, 2_000),
  );
});
