import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeZip } from './zip-fixture.js';
import { sharedData } from './shared-data.js';
import { DownloadError, downloadFile, downloadQuickDraw, downloadTuBerlin, openDataset, quickDrawUrl, type DownloadProgress } from '../src/index.js';

/** Files the local server serves, and how it misbehaves. */
const files = new Map<string, Buffer>();
const requests: { method: string; url: string; range?: string; ifRange?: string }[] = [];
let cutNext = 0; // the next this-many GETs stop half way through the body and drop the connection
let stallNext = 0; // the next this-many GETs send half the body and then nothing, keeping the connection open
let ignoreRange = false;
let ignoreIfRange = false; // answer a Range even when If-Range names another version (a broken cache)
let rangeShift = 0; // a 206 starts this many bytes away from the offset asked for
let noLength = false; // 200 answers give no size: the body ends when the connection closes
let validators: 'etag' | 'last-modified' | 'none' = 'etag';
let server: Server;
let base: string;
let out: string;

/** A version tag of the bytes, like a real server's ETag (and a Last-Modified derived from it). */
const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
const lastModifiedOf = (body: Buffer) => new Date(Date.UTC(2017, 0, 1) + (parseInt(etagOf(body).slice(1, 9), 16) % 1e6) * 1000).toUTCString();

function serve(request: IncomingMessage, response: import('node:http').ServerResponse) {
  requests.push({ method: request.method!, url: request.url!, range: request.headers.range, ifRange: request.headers['if-range'] as string | undefined });
  const body = files.get(decodeURIComponent(request.url!));
  if (!body) return response.writeHead(404).end();
  const version: Record<string, string> = {};
  if (validators === 'etag') version.etag = etagOf(body);
  if (validators !== 'none') version['last-modified'] = lastModifiedOf(body);
  const ifRange = request.headers['if-range'];
  const current = ifRange === undefined || ifRange === version.etag || ifRange === version['last-modified'];
  const range = ignoreRange || (!current && !ignoreIfRange) ? null : /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start >= body.length && range) return response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
  const headers: Record<string, string | number> = { ...version, 'accept-ranges': 'bytes' };
  if (!noLength || range) headers['content-length'] = body.length - start;
  if (range) headers['content-range'] = `bytes ${start + rangeShift}-${body.length - 1 + rangeShift}/${body.length}`;
  if (noLength && !range) {
    // HTTP/1.0 style: no Content-Length and no chunked encoding, so a cut looks like the end of the body.
    response.useChunkedEncodingByDefault = false;
    response.shouldKeepAlive = false;
  }
  response.writeHead(range ? 206 : 200, headers);
  if (request.method === 'HEAD') return response.end();
  const half = start + Math.floor((body.length - start) / 2);
  if (cutNext > 0) {
    cutNext -= 1;
    response.write(body.subarray(start, half), () => setTimeout(() => response.socket?.destroy(), 20));
    return;
  }
  if (stallNext > 0) {
    stallNext -= 1;
    response.write(body.subarray(start, half));
    return;
  }
  response.end(body.subarray(start));
}

/** The file holds exactly `bytes` (Buffer.equals: a deep toEqual of a 200 KB buffer takes half a second). */
function expectBytes(file: string, bytes: Buffer | string): void {
  const actual = readFileSync(file);
  expect(actual.length, file).toBe(Buffer.byteLength(bytes));
  expect(actual.equals(Buffer.from(bytes)), `${file} holds other bytes`).toBe(true);
}

/** Deterministic bytes that are not all alike, so a misplaced range shows. */
function makeBytes(length: number, salt: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + salt * 7 + (i >> 8)) & 0xff));
}

/** A Quick, Draw! simplified ndjson file of `count` drawings; `salt` varies the coordinates (same length). */
function makeNdjson(count: number, salt: number): Buffer {
  const lines = Array.from({ length: count }, (_, i) => {
    const x = [i % 100, (i * 7 + salt) % 100, (i * 13 + 2 * salt) % 100].map((v) => 100 + v); // three digits each
    return `{"word":"cat","countrycode":"US","key_id":"${String(i).padStart(16, '0')}","drawing":[[[${x.join(',')}],[${x.reverse().join(',')}]]]}\n`;
  });
  return Buffer.from(lines.join(''));
}

/** A Quick, Draw! .bin file of `count` records (one stroke of 3 points each). */
function makeBin(count: number): Buffer {
  const record = (i: number) => {
    const header = Buffer.alloc(17);
    header.writeBigUInt64LE(BigInt(i + 1), 0);
    header.write('DE', 8, 'latin1');
    header[10] = 1;
    header.writeUInt32LE(1_490_000_000 + i, 11);
    header.writeUInt16LE(1, 15);
    return Buffer.concat([header, Buffer.from([3, 0]), Buffer.from([i % 256, 10, 20]), Buffer.from([0, 30, i % 256])]);
  };
  return Buffer.concat(Array.from({ length: count }, (_, i) => record(i)));
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  files.clear();
  requests.length = 0;
  cutNext = 0;
  stallNext = 0;
  ignoreRange = false;
  ignoreIfRange = false;
  rangeShift = 0;
  noLength = false;
  validators = 'etag';
  rmSync(out, { recursive: true, force: true });
});
const freshOut = () => (out = mkdtempSync(join(tmpdir(), 'sketch-download-')));

describe('downloadQuickDraw', () => {
  it('fetches URL-encoded category files with progress up to the full size', async () => {
    freshOut();
    const cat = makeNdjson(400, 1);
    const tower = makeNdjson(560, 2);
    files.set('/full/simplified/cat.ndjson', cat);
    files.set('/full/simplified/The Eiffel Tower.ndjson', tower);
    const progress: DownloadProgress[] = [];
    const results = await downloadQuickDraw({ categories: ['cat', 'The Eiffel Tower'], out, baseUrl: `${base}/full/`, onProgress: (p) => progress.push(p) });
    expectBytes(join(out, 'cat.ndjson'), cat);
    expectBytes(join(out, 'The Eiffel Tower.ndjson'), tower);
    expect(requests.map((r) => r.url)).toContain('/full/simplified/The%20Eiffel%20Tower.ndjson');
    expect(results.map((r) => [r.bytes, r.skipped])).toEqual([[cat.length, false], [tower.length, false]]);
    const second = progress.filter((p) => p.index === 1);
    expect(second.every((p) => p.count === 2 && p.totalBytes === tower.length)).toBe(true);
    expect(second.map((p) => p.bytes)).toEqual([...second.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(second.at(-1)).toMatchObject({ bytes: tower.length, done: true });
    expect(readdirSync(out).sort()).toEqual(['The Eiffel Tower.ndjson', 'cat.ndjson']);

    // Complete files are not transferred again.
    requests.length = 0;
    const again = await downloadQuickDraw({ categories: ['cat'], out, baseUrl: `${base}/full/` });
    expect(again[0].skipped).toBe(true);
    expect(requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('resumes a connection cut mid-file with a Range request, in the same call', async () => {
    freshOut();
    const body = makeNdjson(2400, 3);
    files.set('/full/simplified/dog.ndjson', body);
    cutNext = 1;
    const [result] = await downloadQuickDraw({ categories: ['dog'], out, baseUrl: `${base}/full` });
    expectBytes(join(out, 'dog.ndjson'), body);
    expect(result.interruptions).toBe(1);
    const gets = requests.filter((r) => r.method === 'GET');
    expect(gets.length).toBe(2);
    expect(gets[0].range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(body.length / 2);
    expect(existsSync(join(out, 'dog.ndjson.part'))).toBe(false);
  });

  it('keeps the .part of a failed transfer and resumes it in a later call', async () => {
    freshOut();
    const body = makeNdjson(1600, 4);
    files.set('/full/raw/sheep.ndjson', body);
    cutNext = 1;
    await expect(downloadQuickDraw({ categories: ['sheep'], format: 'raw', out, baseUrl: `${base}/full/`, retries: 0 })).rejects.toThrow(
      /sheep\.ndjson.*gave up after 0 resume\(s\)\. \d+ bytes are kept in .*sheep\.ndjson\.part: run the download again to resume/,
    );
    const partial = readFileSync(join(out, 'sheep.ndjson.part'));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(body.length);
    expect(partial.equals(body.subarray(0, partial.length))).toBe(true);

    const [result] = await downloadQuickDraw({ categories: ['sheep'], format: 'raw', out, baseUrl: `${base}/full/` });
    expect(result.resumedFrom).toBe(partial.length);
    expect(requests.at(-1)!.range).toBe(`bytes=${partial.length}-`);
    expectBytes(join(out, 'sheep.ndjson'), body);
  });

  it('starts over when the server ignores Range, and still gets the exact file', async () => {
    freshOut();
    const body = makeBytes(100_000, 5);
    files.set('/x.bin', body);
    cutNext = 1;
    await expect(downloadFile({ url: `${base}/x.bin`, dest: join(out, 'x.bin'), retries: 0 })).rejects.toThrow(/gave up/);
    ignoreRange = true;
    const result = await downloadFile({ url: `${base}/x.bin`, dest: join(out, 'x.bin') });
    expect(requests.at(-1)!.range).toMatch(/^bytes=\d+-$/);
    expectBytes(join(out, 'x.bin'), body);
    expect(result).toMatchObject({ bytes: 100_000, resumedFrom: 0 });
  });

  it('verifies the size and reports HTTP errors with the URL', async () => {
    freshOut();
    files.set('/y.bin', makeBytes(1000, 6));
    await expect(downloadFile({ url: `${base}/y.bin`, dest: join(out, 'y.bin'), expectedSize: 999 })).rejects.toThrow(/y\.bin: got 1000 bytes, expected 999/);
    expect(existsSync(join(out, 'y.bin'))).toBe(false);
    await expect(downloadQuickDraw({ categories: ['no such thing'], out, baseUrl: base })).rejects.toThrow(
      /simplified\/no%20such%20thing\.ndjson: HTTP 404/,
    );
    await expect(downloadQuickDraw({ categories: ['../etc'], out, baseUrl: base })).rejects.toThrow(/not a Quick, Draw! category name/);
    expect(quickDrawUrl('The Mona Lisa', 'binary')).toBe('https://storage.googleapis.com/quickdraw_dataset/full/binary/The%20Mona%20Lisa.bin');
  });
});

describe('downloadTuBerlin', () => {
  it('downloads the zip (resuming a cut) and extracts it; a second call does nothing', async () => {
    freshOut();
    // Stored-only entries of random-looking bytes keep the archive large enough to cut in the middle.
    const entries = {
      'svg/airplane/1.svg': '<svg><path id="0" d="M 1 1 L 2 2"/></svg>',
      'svg/alarm clock/81.svg': makeBytes(60_000, 7),
      'svg/filelist.txt': 'airplane/1.svg\nalarm clock/81.svg\n',
    };
    const archive = await makeZip(entries);
    files.set('/classify/sketches_svg.zip', archive);
    cutNext = 1;
    const phases = new Set<string>();
    const result = await downloadTuBerlin({ out, baseUrl: `${base}/classify/`, onProgress: (p) => phases.add(`${p.phase}${p.done ? ':done' : ''}`) });
    expect(result.download.interruptions).toBe(1);
    expect(result.root).toBe(join(out, 'svg'));
    expect(result.files).toBe(3);
    for (const [name, content] of Object.entries(entries)) expectBytes(join(out, name), Buffer.from(content));
    expect([...phases].sort()).toEqual(['download', 'download:done', 'extract', 'extract:done']);

    requests.length = 0;
    const again = await downloadTuBerlin({ out, baseUrl: `${base}/classify/` });
    expect(again).toMatchObject({ files: 0, root: join(out, 'svg'), download: { skipped: true } });
    expect(requests.every((r) => r.method === 'HEAD')).toBe(true);
  });

  it("an archive with other top folders beside svg/ (the sample's MLS/) trains from the returned root", async () => {
    freshOut();
    const svg = readFileSync(join(sharedData, 'tu-berlin-svg-sample/svg/airplane/1.svg'));
    files.set('/classify/sketches_svg.zip', await makeZip({ 'svg/airplane/1.svg': svg, 'svg/angel/161.svg': readFileSync(join(sharedData, 'tu-berlin-svg-sample/svg/angel/161.svg')), 'MLS/173.svg': svg }));
    const result = await downloadTuBerlin({ out, baseUrl: `${base}/classify/` });
    expect(result.root).toBe(out);
    const dataset = await openDataset({ kind: 'tu-berlin-svg', path: result.root });
    const ids: string[] = [];
    for await (const sketch of dataset.sketches()) ids.push(sketch.id);
    expect(dataset.categories).toEqual(['airplane', 'angel']);
    expect(ids).toEqual(['airplane/1.svg', 'angel/161.svg']);
  });

  it('names the archive when it is not a zip', async () => {
    freshOut();
    files.set('/sketches_png.zip', Buffer.from('<html>moved</html>'));
    await expect(downloadTuBerlin({ out, format: 'png', baseUrl: base })).rejects.toThrow(
      /sketches_png\.zip: download http:.*\/sketches_png\.zip: the server's answer is not a zip archive: it starts with "<", like an HTML page/,
    );
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('downloadFile against a server that changes, lies or stalls', () => {
  const cat = '/full/simplified/cat.ndjson';
  const quickDraw = (more: Partial<Parameters<typeof downloadQuickDraw>[0]> = {}) =>
    downloadQuickDraw({ categories: ['cat'], out, baseUrl: `${base}/full/`, idleTimeoutMs: 2_000, ...more });
  /** A first call cut half way (retries 0): leaves `cat.ndjson.part` with the first half of `body`. */
  async function leavePart(body: Buffer): Promise<number> {
    files.set(cat, body);
    cutNext = 1;
    await expect(quickDraw({ retries: 0 })).rejects.toThrow(/gave up after 0 resume/);
    return readFileSync(join(out, 'cat.ndjson.part')).length;
  }

  for (const kind of ['etag', 'last-modified'] as const) {
    it(`restarts from zero when the file changed on the server between calls (If-Range with ${kind === 'etag' ? 'the ETag' : 'Last-Modified'})`, async () => {
      freshOut();
      validators = kind;
      const before = makeNdjson(2000, 1);
      const after = makeNdjson(2000, 2); // the same size: only a validator tells the two apart
      expect(after.length).toBe(before.length);
      const kept = await leavePart(before);
      files.set(cat, after);
      const [result] = await quickDraw();
      expectBytes(join(out, 'cat.ndjson'), after);
      expect(requests.at(-1)).toMatchObject({ range: `bytes=${kept}-`, ifRange: kind === 'etag' ? etagOf(before) : lastModifiedOf(before) });
      expect(result.resumedFrom).toBe(0);
      expect(readdirSync(out)).toEqual(['cat.ndjson']);
    });
  }

  it('resumes an unchanged file with If-Range, keeping the bytes of the earlier call', async () => {
    freshOut();
    const body = makeNdjson(2000, 3);
    const kept = await leavePart(body);
    const [result] = await quickDraw();
    expect(requests.at(-1)).toMatchObject({ range: `bytes=${kept}-`, ifRange: etagOf(body) });
    expect(result.resumedFrom).toBe(kept);
    expectBytes(join(out, 'cat.ndjson'), body);
  });

  it('rewrites a part from zero when the server gives no validator to resume it by', async () => {
    freshOut();
    validators = 'none';
    await leavePart(makeNdjson(2000, 1));
    const after = makeNdjson(2000, 2);
    files.set(cat, after);
    const [result] = await quickDraw();
    expect(requests.at(-1)!.range).toBeUndefined();
    expect(result.resumedFrom).toBe(0);
    expectBytes(join(out, 'cat.ndjson'), after);
  });

  it('restarts when a 206 answer is of another version (its ETag) despite If-Range', async () => {
    freshOut();
    const kept = await leavePart(makeNdjson(2000, 1));
    const after = makeNdjson(2000, 2);
    files.set(cat, after);
    ignoreIfRange = true;
    await quickDraw();
    expectBytes(join(out, 'cat.ndjson'), after);
    const gets = requests.filter((r) => r.method === 'GET');
    expect(gets.at(-2)!.range).toBe(`bytes=${kept}-`);
    expect(gets.at(-1)!.range).toBeUndefined();
  });

  it('restarts when a 206 does not start at the offset asked for, and never splices', async () => {
    freshOut();
    const body = makeNdjson(2000, 4);
    const kept = await leavePart(body);
    rangeShift = -100;
    // Every 206 is misplaced, so only a fresh 200 gets the file.
    const [result] = await quickDraw();
    const gets = requests.filter((r) => r.method === 'GET');
    expect(gets.at(-2)!.range).toBe(`bytes=${kept}-`);
    expect(gets.at(-1)!.range).toBeUndefined();
    expectBytes(join(out, 'cat.ndjson'), body);
    expect(result.resumedFrom).toBe(0);
  });

  it('refuses an HTML page served with 200 instead of ndjson, naming the URL and the file; nothing is left', async () => {
    freshOut();
    files.set(cat, Buffer.from('<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>\n'));
    const error = await quickDraw().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(
      /cat\.ndjson: download http:.*\/simplified\/cat\.ndjson: the server's answer is not a Quick, Draw! ndjson file: it starts with "<", like an HTML page/,
    );
    expect(readdirSync(out)).toEqual([]);
    // A second call is refused the same way: nothing was ever called complete.
    await expect(quickDraw()).rejects.toThrow(/like an HTML page/);
  });

  it('deletes a part whose first lines are JSON but no drawings, so a retry starts clean', async () => {
    freshOut();
    files.set(cat, Buffer.from('{"error":"quota exceeded"}\n'));
    await expect(quickDraw()).rejects.toThrow(
      /cat\.ndjson: download .*cat\.ndjson\.part is not a Quick, Draw! ndjson file: line 1 has no "drawing" array; the partial download was deleted/,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it('never deletes or replaces a verified file when the new download is refused', async () => {
    freshOut();
    const good = makeNdjson(300, 5);
    writeFileSync(join(out, 'cat.ndjson'), good);
    files.set(cat, Buffer.from('<html>Service unavailable</html>'));
    await expect(quickDraw()).rejects.toThrow(/like an HTML page/);
    expectBytes(join(out, 'cat.ndjson'), good);
  });

  it('a file saved earlier is skipped only when it passes the format check, not by its size alone', async () => {
    freshOut();
    const body = makeNdjson(300, 11);
    const page = Buffer.from(`<html>${' '.repeat(body.length - 14)}</html>\n`);
    expect(page.length).toBe(body.length);
    writeFileSync(join(out, 'cat.ndjson'), page); // what an older version saved from a captive portal
    files.set(cat, body);
    const [result] = await quickDraw();
    expect(result.skipped).toBe(false);
    expectBytes(join(out, 'cat.ndjson'), body);
  });

  it('an HTML answer to a resume keeps the part for a later resume', async () => {
    freshOut();
    const body = makeNdjson(2000, 6);
    const kept = await leavePart(body);
    files.set(cat, Buffer.from('<html>portal</html>'));
    await expect(quickDraw()).rejects.toThrow(new RegExp(`like an HTML page.*; ${kept} bytes are kept in .*cat\\.ndjson\\.part`));
    files.set(cat, body);
    const [result] = await quickDraw();
    expect(result.resumedFrom).toBe(kept);
    expectBytes(join(out, 'cat.ndjson'), body);
  });

  it('checks .bin and zip files by their first bytes and records', async () => {
    freshOut();
    const bin = makeBin(500);
    files.set('/full/binary/cat.bin', bin);
    await downloadQuickDraw({ categories: ['cat'], format: 'binary', out, baseUrl: `${base}/full/` });
    expectBytes(join(out, 'cat.bin'), bin);
    files.set('/full/binary/dog.bin', Buffer.from('<html><body>Not here</body></html>'));
    await expect(downloadQuickDraw({ categories: ['dog'], format: 'binary', out, baseUrl: `${base}/full/` })).rejects.toThrow(
      /dog\.bin: download .*dog\.bin: the server's answer is not a Quick, Draw! \.bin file: it starts with "<"/,
    );
    files.set('/full/binary/eel.bin', makeBytes(5000, 1));
    await expect(downloadQuickDraw({ categories: ['eel'], format: 'binary', out, baseUrl: `${base}/full/` })).rejects.toThrow(
      /eel\.bin: download .*not a Quick, Draw! \.bin file: its first record has no two-letter country code/,
    );
    const zip = await makeZip({ 'svg/a/1.svg': '<svg/>' });
    files.set('/sketches_svg.zip', zip.subarray(0, zip.length - 30)); // a zip cut before its central directory
    await expect(downloadTuBerlin({ out, baseUrl: base })).rejects.toThrow(
      /sketches_svg\.zip: download .*sketches_svg\.zip\.part is not a complete zip archive: it has no end-of-central-directory record/,
    );
    expect(readdirSync(out).sort()).toEqual(['cat.bin']);
  });

  it('a body cut short with no Content-Length is incomplete, and resumes to the whole file', async () => {
    freshOut();
    const body = makeNdjson(2001, 7);
    files.set(cat, body);
    noLength = true;
    cutNext = 1; // the cut falls mid-line: 2001 lines of 104 bytes, cut at half the bytes
    expect(body[Math.floor(body.length / 2) - 1]).not.toBe(0x0a);
    await expect(quickDraw({ retries: 0 })).rejects.toThrow(
      /cat\.ndjson: download .*cat\.ndjson\.part is not a complete Quick, Draw! ndjson file: it ends in the middle of a line .*gave up after 0 resume\(s\)\. \d+ bytes are kept in .*cat\.ndjson\.part: run the download again to resume/,
    );
    expect(existsSync(join(out, 'cat.ndjson'))).toBe(false);
    const [result] = await quickDraw();
    expect(result.resumedFrom).toBeGreaterThan(0);
    expectBytes(join(out, 'cat.ndjson'), body);
  });

  it('a whole body with no Content-Length is complete when its end checks out', async () => {
    freshOut();
    const body = makeNdjson(300, 8);
    files.set(cat, body);
    noLength = true;
    await quickDraw();
    expectBytes(join(out, 'cat.ndjson'), body);
    // A file of no known format and no size cannot be verified: it is kept, not called complete.
    files.set('/blob', makeBytes(1000, 9));
    await expect(downloadFile({ url: `${base}/blob`, dest: join(out, 'blob') })).rejects.toThrow(
      /blob: download .*blob\.part cannot be verified as complete: the server did not say its size; 1000 bytes are kept in .*blob\.part/,
    );
    expect(existsSync(join(out, 'blob'))).toBe(false);
  });

  it('a .bin cut short with no Content-Length is found by walking its records', async () => {
    freshOut();
    const bin = makeBin(401);
    files.set('/full/binary/cat.bin', bin);
    noLength = true;
    cutNext = 1; // 401 records of 25 bytes, cut at half the bytes: inside record 201
    await expect(downloadQuickDraw({ categories: ['cat'], format: 'binary', out, baseUrl: `${base}/full/`, retries: 0 })).rejects.toThrow(
      /cat\.bin\.part is not a complete Quick, Draw! \.bin file: it ends \d+ byte\(s\) into record \d+/,
    );
    await downloadQuickDraw({ categories: ['cat'], format: 'binary', out, baseUrl: `${base}/full/` });
    expectBytes(join(out, 'cat.bin'), bin);
  });

  it('a .bin whose first record claims more than a megabyte is refused at once, not resumed', async () => {
    freshOut();
    const bogus = Buffer.alloc(3 << 20, 0xff); // 65535 strokes of 65535 points: an 8 GB record
    makeBin(1).subarray(0, 15).copy(bogus);
    files.set('/full/binary/cat.bin', bogus);
    noLength = true;
    await expect(downloadQuickDraw({ categories: ['cat'], format: 'binary', out, baseUrl: `${base}/full/` })).rejects.toThrow(
      /cat\.bin: download .*cat\.bin\.part is not a complete Quick, Draw! \.bin file: its record 1 is longer than 1048576 bytes; the partial download was deleted/,
    );
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    expect(readdirSync(out)).toEqual([]);
  });

  it('gives up an attempt after the idle timeout when the server stalls, and resumes', { timeout: 10_000 }, async () => {
    freshOut();
    const body = makeNdjson(2000, 9);
    files.set(cat, body);
    stallNext = 1;
    const [result] = await quickDraw({ idleTimeoutMs: 200 });
    expect(result.interruptions).toBe(1);
    expectBytes(join(out, 'cat.ndjson'), body);
    stallNext = 2;
    await expect(downloadQuickDraw({ categories: ['dog'], out, baseUrl: `${base}/full/`, idleTimeoutMs: 200, retries: 1 }).catch((e) => e)).resolves.toBeInstanceOf(
      DownloadError,
    );
  });

  it('names the URL and the file when the server stalls on every attempt', { timeout: 10_000 }, async () => {
    freshOut();
    files.set(cat, makeNdjson(2000, 10));
    stallNext = 3;
    await expect(quickDraw({ idleTimeoutMs: 200, retries: 2 })).rejects.toThrow(
      /cat\.ndjson: download http:.*cat\.ndjson: no data from the server for 200 ms \(stalled\); gave up after 2 resume\(s\)\. \d+ bytes are kept in .*cat\.ndjson\.part/,
    );
  });
});
