// End-to-end helpers: the built app served on 127.0.0.1 by a tiny static server, Debian's Chromium driven by
// playwright-core at a phone viewport with touch, and drawing a Quick, Draw! sketch with real touch events.
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(APP_DIR, 'dist');
export const SHARED = process.env.SKETCH_XNOR_SHARED ?? resolve(APP_DIR, '../../../shared');

/** Builds the app unless dist holds a build (the test command builds every project first). */
export function ensureBuilt(): void {
  if (existsSync(join(DIST, 'index.html')) && existsSync(join(DIST, 'sw.js'))) return;
  execFileSync('npx', ['vite', 'build'], { cwd: APP_DIR, stdio: 'pipe' });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
};

export interface StaticServer {
  url: string;
  /** Every request the server answered, in order: its path (decoded, no query). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves folders under URL prefixes ('/' -> dist, '/fixtures/' -> test models); 404 for anything else. */
export async function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : mounts[prefix];
    let file = root === undefined ? undefined : normalize(join(root, path.slice(prefix!.length)));
    if (file && !file.startsWith(root!)) file = undefined;
    try {
      if (!file) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export interface PhoneOptions {
  /** WebGPU on (SwiftShader's Vulkan without a GPU), as the backends' browser tests run it; else the GPU is off. */
  webgpu?: boolean;
}

/** Debian's Chromium, headless, a fresh profile, a 360 x 740 phone with touch. */
export async function launchPhone(options: PhoneOptions = {}): Promise<BrowserContext> {
  const gpu = options.webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'];
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'playground-chromium-')), {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', ...gpu, '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
  });
}

/** The first drawing of a Quick, Draw! category, as strokes of [x, y] points in its 0..255 box. */
export async function quickDrawSketch(category: string, index = 0): Promise<Array<Array<[number, number]>>> {
  const lines = (await readFile(join(SHARED, 'data/quickdraw-345', `${category}.ndjson`), 'utf8')).split('\n').filter(Boolean);
  const drawing = (JSON.parse(lines[index]!) as { drawing: number[][][] }).drawing;
  return drawing.map(([xs, ys]) => xs!.map((x, i) => [x, ys![i]!] as [number, number]));
}

export interface DrawOptions {
  /** Rest the finger this long after every `pauseEvery` moves (a slow hand: predictions come mid-stroke). */
  pauseMs?: number;
  pauseEvery?: number;
  /** Called with 'start' after each stroke's touchStart and 'lift' just before its touchEnd. */
  onStroke?: (phase: 'start' | 'lift', index: number) => Promise<void> | void;
}

/** Draws strokes on the pad finger by finger (touchStart, touchMoves, touchEnd), scaled into the pad with a margin. */
export async function drawWithTouch(page: Page, strokes: Array<Array<[number, number]>>, options: DrawOptions = {}): Promise<void> {
  // touches go to viewport coordinates: a pad scrolled away (after using the loader below the panels) would miss them
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const box = (await page.locator('#pad').boundingBox())!;
  const scale = (Math.min(box.width, box.height) - 40) / 255;
  const left = box.x + (box.width - 255 * scale) / 2;
  const top = box.y + (box.height - 255 * scale) / 2;
  const cdp = await page.context().newCDPSession(page);
  for (const [index, stroke] of strokes.entries()) {
    const points = stroke.map(([x, y]) => ({ x: left + x * scale, y: top + y * scale, id: 1 }));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]!] });
    await options.onStroke?.('start', index);
    for (const [i, point] of points.slice(1).entries()) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
      if (options.pauseMs && (i + 1) % (options.pauseEvery ?? 1) === 0) await page.waitForTimeout(options.pauseMs);
    }
    await options.onStroke?.('lift', index);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

/** The labels a panel shows, best first. */
export async function topLabels(page: Page, slot: 'float' | 'binary'): Promise<string[]> {
  return page.locator(`#${slot}-panel ol.top .label`).allTextContents();
}
