import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { downloadFile, downloadQuickDraw, downloadTuBerlin, quickDrawUrl, type DownloadProgress } from '../src/index.js';

/** Files the local server serves, and how it misbehaves. */
const files = new Map<string, Buffer>();
const requests: { method: string; url: string; range?: string }[] = [];
let cutNext = 0; // the next this-many GETs stop half way through the body and drop the connection
let ignoreRange = false;
let server: Server;
let base: string;
let out: string;

function serve(request: IncomingMessage, response: import('node:http').ServerResponse) {
  requests.push({ method: request.method!, url: request.url!, range: request.headers.range });
  const body = files.get(decodeURIComponent(request.url!));
  if (!body) return response.writeHead(404).end();
  const range = ignoreRange ? null : /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start >= body.length && range) return response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
  const headers: Record<string, string | number> = { 'content-length': body.length - start, 'accept-ranges': 'bytes' };
  if (range) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  response.writeHead(range ? 206 : 200, headers);
  if (request.method === 'HEAD') return response.end();
  if (cutNext > 0) {
    cutNext -= 1;
    const half = start + Math.floor((body.length - start) / 2);
    response.write(body.subarray(start, half), () => setTimeout(() => response.socket?.destroy(), 20));
    return;
  }
  response.end(body.subarray(start));
}

/** Deterministic bytes that are not all alike, so a misplaced range shows. */
function makeBytes(length: number, salt: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + salt * 7 + (i >> 8)) & 0xff));
}

function makeZip(entries: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  files.clear();
  requests.length = 0;
  cutNext = 0;
  ignoreRange = false;
  rmSync(out, { recursive: true, force: true });
});
const freshOut = () => (out = mkdtempSync(join(tmpdir(), 'sketch-download-')));

describe('downloadQuickDraw', () => {
  it('fetches URL-encoded category files with progress up to the full size', async () => {
    freshOut();
    const cat = makeBytes(50_000, 1);
    const tower = makeBytes(70_000, 2);
    files.set('/full/simplified/cat.ndjson', cat);
    files.set('/full/simplified/The Eiffel Tower.ndjson', tower);
    const progress: DownloadProgress[] = [];
    const results = await downloadQuickDraw({ categories: ['cat', 'The Eiffel Tower'], out, baseUrl: `${base}/full/`, onProgress: (p) => progress.push(p) });
    expect(readFileSync(join(out, 'cat.ndjson'))).toEqual(cat);
    expect(readFileSync(join(out, 'The Eiffel Tower.ndjson'))).toEqual(tower);
    expect(requests.map((r) => r.url)).toContain('/full/simplified/The%20Eiffel%20Tower.ndjson');
    expect(results.map((r) => [r.bytes, r.skipped])).toEqual([[50_000, false], [70_000, false]]);
    const second = progress.filter((p) => p.index === 1);
    expect(second.every((p) => p.count === 2 && p.totalBytes === 70_000)).toBe(true);
    expect(second.map((p) => p.bytes)).toEqual([...second.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(second.at(-1)).toMatchObject({ bytes: 70_000, done: true });
    expect(readdirSync(out).sort()).toEqual(['The Eiffel Tower.ndjson', 'cat.ndjson']);

    // Complete files are not transferred again.
    requests.length = 0;
    const again = await downloadQuickDraw({ categories: ['cat'], out, baseUrl: `${base}/full/` });
    expect(again[0].skipped).toBe(true);
    expect(requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('resumes a connection cut mid-file with a Range request, in the same call', async () => {
    freshOut();
    const body = makeBytes(300_000, 3);
    files.set('/full/simplified/dog.ndjson', body);
    cutNext = 1;
    const [result] = await downloadQuickDraw({ categories: ['dog'], out, baseUrl: `${base}/full` });
    expect(readFileSync(join(out, 'dog.ndjson'))).toEqual(body);
    expect(result.interruptions).toBe(1);
    const gets = requests.filter((r) => r.method === 'GET');
    expect(gets.length).toBe(2);
    expect(gets[0].range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(150_000);
    expect(existsSync(join(out, 'dog.ndjson.part'))).toBe(false);
  });

  it('keeps the .part of a failed transfer and resumes it in a later call', async () => {
    freshOut();
    const body = makeBytes(200_000, 4);
    files.set('/full/raw/sheep.ndjson', body);
    cutNext = 1;
    await expect(downloadQuickDraw({ categories: ['sheep'], format: 'raw', out, baseUrl: `${base}/full/`, retries: 0 })).rejects.toThrow(
      /sheep\.ndjson.*gave up after 0 resume\(s\)\. \d+ bytes are kept in .*sheep\.ndjson\.part: run the download again to resume/,
    );
    const partial = readFileSync(join(out, 'sheep.ndjson.part'));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(body.length);
    expect(partial).toEqual(body.subarray(0, partial.length));

    const [result] = await downloadQuickDraw({ categories: ['sheep'], format: 'raw', out, baseUrl: `${base}/full/` });
    expect(result.resumedFrom).toBe(partial.length);
    expect(requests.at(-1)!.range).toBe(`bytes=${partial.length}-`);
    expect(readFileSync(join(out, 'sheep.ndjson'))).toEqual(body);
  });

  it('starts over when the server ignores Range, and still gets the exact file', async () => {
    freshOut();
    const body = makeBytes(100_000, 5);
    files.set('/x.bin', body);
    writeFileSync(join(out, 'x.bin.part'), body.subarray(0, 40_000));
    ignoreRange = true;
    const result = await downloadFile({ url: `${base}/x.bin`, dest: join(out, 'x.bin') });
    expect(readFileSync(join(out, 'x.bin'))).toEqual(body);
    expect(result.bytes).toBe(100_000);
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
    for (const [name, content] of Object.entries(entries)) expect(readFileSync(join(out, name))).toEqual(Buffer.from(content));
    expect([...phases].sort()).toEqual(['download', 'download:done', 'extract', 'extract:done']);

    requests.length = 0;
    const again = await downloadTuBerlin({ out, baseUrl: `${base}/classify/` });
    expect(again).toMatchObject({ files: 0, root: join(out, 'svg'), download: { skipped: true } });
    expect(requests.every((r) => r.method === 'HEAD')).toBe(true);
  });

  it('names the archive when it is not a zip', async () => {
    freshOut();
    files.set('/sketches_png.zip', Buffer.from('<html>moved</html>'));
    await expect(downloadTuBerlin({ out, format: 'png', baseUrl: base })).rejects.toThrow(/sketches_png\.zip: not a readable zip archive/);
  });
});
