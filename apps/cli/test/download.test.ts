// `sketch-xnor download` against a loopback HTTP server the test starts (no network): files land where the
// quickdraw reader expects them, a second run skips complete files, and a missing category fails clearly.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-process.js';

const files: Record<string, string> = {
  '/simplified/cat.ndjson': '{"word":"cat","key_id":"1","drawing":[[[0,10,20],[0,10,0]]]}\n',
  '/simplified/The%20Eiffel%20Tower.ndjson': '{"word":"The Eiffel Tower","key_id":"2","drawing":[[[5,5],[0,50]]]}\n',
};
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const body = files[request.url ?? ''];
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sketch-xnor download', () => {
  it('fetches Quick, Draw! categories (names with spaces) and skips them when complete', async () => {
    const out = tempDir('download');
    const args = ['download', 'quickdraw', '--categories', 'cat,The Eiffel Tower', '--out', out, '--base-url', baseUrl];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(join(out, 'cat.ndjson'), 'utf8')).toBe(files['/simplified/cat.ndjson']);
    expect(readFileSync(join(out, 'The Eiffel Tower.ndjson'), 'utf8')).toBe(files['/simplified/The%20Eiffel%20Tower.ndjson']);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout.match(/already complete/g)).toHaveLength(2);
  });

  it('an unknown category fails with a non-zero exit and names it', async () => {
    const result = await runCli(['download', 'quickdraw', '--categories', 'unicornz', '--out', tempDir('download'), '--base-url', baseUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unicornz/);
  });

  it('quickdraw needs --categories', async () => {
    const result = await runCli(['download', 'quickdraw', '--out', tempDir('download')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('download quickdraw needs --categories');
  });
});
