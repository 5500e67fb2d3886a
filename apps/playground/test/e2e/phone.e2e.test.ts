// Issue 18, found as a user on a phone would find it (360 x 740, touch, Debian's Chromium with WebGPU on
// SwiftShader): what the first visit downloads, the comparison the page is for (sizes, latencies measured in the
// page, the ratios, the categories), the backend picker after a failed switch, tap targets, what a screen reader
// hears while drawing, the two panel headers, and the packed net on webgpu with the WGSL XNOR kernel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DIST, drawWithTouch, ensureBuilt, launchPhone, quickDrawSketch, serveStatic, topLabels, type StaticServer } from './harness.js';

const DEFAULT_MODEL = join(DIST, 'models/default');
const CATEGORY = process.env.PLAYGROUND_E2E_CATEGORY ?? 'umbrella';

let server: StaticServer;
let context: BrowserContext;
let page: Page;
let classes: string[];

async function waitReady(p: Page, slot: 'float' | 'binary'): Promise<void> {
  await p.locator(`#${slot}-panel[data-state='ready']`).waitFor({ timeout: 90_000 });
}

/** The top-5 shown for the latest drawing. */
async function waitTop5(p: Page, slot: 'float' | 'binary'): Promise<string[]> {
  await p.waitForFunction(
    (s) => {
      const panel = document.getElementById(`${s}-panel`)!;
      return panel.dataset.predictionId === document.body.dataset.requestId && panel.querySelectorAll('ol.top li').length === 5;
    },
    slot,
    { timeout: 90_000 },
  );
  return topLabels(p, slot);
}

async function drawCategory(p: Page, index = 0): Promise<void> {
  await p.locator('#clear').click();
  await drawWithTouch(p, await quickDrawSketch(CATEGORY, index));
}

const count = (paths: string[], test: (path: string) => boolean) => paths.filter(test).length;

beforeAll(async () => {
  ensureBuilt();
  if (!existsSync(join(DEFAULT_MODEL, 'binary/manifest.json'))) throw new Error('the build has no default models');
  classes = (JSON.parse(await readFile(join(DEFAULT_MODEL, 'binary/manifest.json'), 'utf8')) as { classes: string[] }).classes;
  server = await serveStatic({ '/': DIST });
  context = await launchPhone({ webgpu: true });
  page = await context.newPage();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe('playground on a phone (issue 18)', () => {
  it('on first visit fetches each default weights file once and one wasm binary once, and still works offline-ready', async () => {
    const seenByPage: string[] = [];
    context.on('request', (request) => seenByPage.push(new URL(request.url()).pathname));
    await page.goto(server.url);
    await waitReady(page, 'float');
    await waitReady(page, 'binary');
    await page.waitForFunction(() => document.body.dataset.offline === 'ready', null, { timeout: 60_000 });
    await page.waitForTimeout(1500); // anything the service worker still fetches after saying so
    const served = server.requests;
    const wasm = served.filter((p) => p.endsWith('.wasm'));
    expect({
      floatWeights: count(served, (p) => p.endsWith('/models/default/float/weights.bin')),
      binaryWeights: count(served, (p) => p.endsWith('/models/default/binary/weights.bin')),
      wasmFiles: new Set(wasm).size,
      wasmFetches: wasm.length,
    }).toEqual({ floatWeights: 1, binaryWeights: 1, wasmFiles: 1, wasmFetches: 1 });
    // the browser's own count agrees (requests answered by the service worker's cache are not network requests)
    expect(count(seenByPage, (p) => p.endsWith('/models/default/float/weights.bin'))).toBeGreaterThanOrEqual(1);
    // and what it fetched is what a reload offline needs: the page, the models and the wasm binary it uses
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached.some((p) => p.endsWith('/models/default/float/weights.bin'))).toBe(true);
    expect(cached.some((p) => p.endsWith('/models/default/binary/weights.bin'))).toBe(true);
    expect(cached.filter((p) => p.endsWith('.wasm'))).toEqual([...new Set(wasm)]);
  });

  it('labels each side with its size and in-page latency, shows the ratios and lists the categories', async () => {
    for (const index of [0, 1, 2]) {
      await drawCategory(page, index);
      await waitTop5(page, 'float');
      await waitTop5(page, 'binary');
    }
    for (const slot of ['float', 'binary'] as const) {
      expect(await page.locator(`#${slot}-panel .model-meta`).textContent()).toMatch(/^Size \d+(\.\d+)? (KB|MB) · \d+ classes · \d+px/);
      expect(await page.locator(`#${slot}-panel .latency`).textContent()).toMatch(/^Latency \d+\.\d ms · median \d+\.\d ms$/);
    }
    const read = (slot: string, key: string) => page.locator(`#${slot}-panel`).getAttribute(`data-${key}`).then(Number);
    const [floatBytes, binaryBytes, floatMs, binaryMs] = await Promise.all([read('float', 'bytes'), read('binary', 'bytes'), read('float', 'median-ms'), read('binary', 'median-ms')]);
    const compare = (await page.locator('#compare').textContent())!;
    const match = compare.match(/^Binary: (\d+(?:\.\d)?)x smaller, (\d+(?:\.\d)?)x (faster|slower) than float/);
    expect(match, compare).not.toBeNull();
    expect(Number(match![1])).toBeCloseTo(floatBytes / binaryBytes, 1);
    const speed = match![3] === 'faster' ? floatMs / binaryMs : binaryMs / floatMs;
    expect(Number(match![2])).toBeCloseTo(speed, 1);
    expect(floatBytes / binaryBytes).toBeGreaterThan(10);
    console.log(`in the page: ${compare} (float ${floatMs.toFixed(1)} ms, binary ${binaryMs.toFixed(1)} ms median; ${floatBytes} vs ${binaryBytes} bytes)`);
    const listed = (await page.locator('#categories').textContent())!;
    expect(listed).toMatch(new RegExp(`^Knows ${classes.length} categories: `));
    for (const name of classes) expect(listed).toContain(name);
  });

  it('gives buttons, the backend select and the loader controls tap targets of at least 44 x 44 px', async () => {
    await page.locator('#loader summary').click();
    await page.evaluate(() => {
      document.getElementById('message')!.hidden = false; // its dismiss button too
    });
    const small = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, select, summary, input'))
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ what: el.id || el.textContent?.trim() || el.tagName, ...el.getBoundingClientRect().toJSON() }))
        .filter((box) => box.height < 44 || box.width < 44)
        .map((box) => `${box.what}: ${box.width.toFixed(0)} x ${box.height.toFixed(0)}`),
    );
    expect(small).toEqual([]);
    await page.evaluate(() => {
      document.getElementById('message')!.hidden = true;
    });
    await page.locator('#loader summary').click();
  });

  it('keeps the two panel headers and rows level', async () => {
    await drawCategory(page);
    await waitTop5(page, 'float');
    await waitTop5(page, 'binary');
    const boxes = await page.evaluate(() =>
      ['float', 'binary'].map((slot) => {
        const panel = document.getElementById(`${slot}-panel`)!;
        const box = (selector: string) => panel.querySelector(selector)!.getBoundingClientRect();
        return { header: box('header').height, top: box('ol.top').top, latency: box('.latency').top, kind: box('.kind').height, name: box('.model-name').height };
      }),
    );
    const [float, binary] = boxes as [(typeof boxes)[0], (typeof boxes)[0]];
    expect(binary.header).toBe(float.header);
    expect(binary.top).toBe(float.top);
    expect(binary.latency).toBe(float.latency);
    // one line each: the kind and the model name do not wrap
    expect(Math.max(float.kind, binary.kind)).toBeLessThan(1.6 * Math.min(float.kind, binary.kind));
    expect(Math.max(float.name, binary.name)).toBeLessThan(1.6 * Math.min(float.name, binary.name));
    expect(Math.max(float.name, binary.name)).toBeLessThan(24);
  });

  it('announces the result once when a stroke ends, not while the finger moves', async () => {
    await page.locator('#clear').click();
    await page.evaluate(() => {
      const w = window as unknown as { liveChanges: Array<{ t: number; text: string }> };
      w.liveChanges = [];
      const live = (node: Node | null): Element | null => {
        for (let el = node instanceof Element ? node : node?.parentElement ?? null; el; el = el.parentElement) {
          const polite = el.getAttribute('aria-live');
          if ((polite && polite !== 'off') || ['status', 'alert', 'log'].includes(el.getAttribute('role') ?? '')) return el;
        }
        return null;
      };
      new MutationObserver((records) => {
        for (const record of records) {
          const region = live(record.target);
          if (region && !(region as HTMLElement).hidden) w.liveChanges.push({ t: performance.now(), text: region.textContent ?? '' });
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const strokes = (await quickDrawSketch(CATEGORY)).slice(0, 3);
    expect(strokes.length).toBeGreaterThanOrEqual(2);
    const during: number[] = [];
    let started = 0;
    await drawWithTouch(page, strokes, {
      pauseMs: 150, // a slow finger: the page predicts mid-stroke
      pauseEvery: 3,
      onStroke: async (phase) => {
        const n = await page.evaluate(() => (window as unknown as { liveChanges: unknown[] }).liveChanges.length);
        if (phase === 'start') started = n;
        else during.push(n - started);
      },
    });
    // predictions did come mid-stroke (the panels changed), but nothing was announced until a stroke ended
    await waitTop5(page, 'binary');
    expect(during).toEqual(strokes.map(() => 0));
    await page.waitForTimeout(2500);
    const changes = await page.evaluate(() => (window as unknown as { liveChanges: Array<{ t: number; text: string }> }).liveChanges);
    const texts = [...new Set(changes.map((c) => c.text))];
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(texts.length).toBeLessThanOrEqual(strokes.length);
    const last = texts.at(-1)!;
    const [floatTop] = await topLabels(page, 'float');
    const [binaryTop] = await topLabels(page, 'binary');
    expect(last).toContain(`Float: ${floatTop}`);
    expect(last).toContain(`binary: ${binaryTop}`);
    // no live region holds the whole panels (a screen reader would read every top-5 update)
    expect(await page.locator('.results[aria-live], .model[aria-live], ol.top[aria-live]').count()).toBe(0);
  });

  it('runs the packed net on webgpu with the WGSL XNOR kernel when webgpu is picked', async () => {
    expect(await page.evaluate(() => 'gpu' in navigator)).toBe(true);
    await page.locator('#backend').selectOption('webgpu');
    await expect.poll(() => page.locator('#float-panel .model-backend').textContent(), { timeout: 90_000 }).toBe('webgpu');
    await expect.poll(() => page.locator('#binary-panel .model-backend').textContent(), { timeout: 90_000 }).toBe('webgpu');
    await waitReady(page, 'binary');
    await expect.poll(() => page.locator('#binary-panel').getAttribute('data-kernels'), { timeout: 90_000 }).toMatch(/\bXnorConv2D\b/);
    await drawCategory(page);
    expect(await waitTop5(page, 'binary')).toContain(CATEGORY);
    expect(await page.locator('#message').isVisible()).toBe(false);
    await page.locator('#backend').selectOption('wasm');
    await expect.poll(() => page.locator('#binary-panel .model-backend').textContent(), { timeout: 90_000 }).toBe('wasm');
  });

  it('shows the backend the models run on after a switch fails, and remembers that one', async () => {
    // a second phone, no service worker, the wasm binaries unreachable: picking wasm cannot work
    const phone = await launchPhone();
    try {
      const p = await phone.newPage();
      await p.addInitScript(() => localStorage.setItem('sketch-xnor.playground.backend', 'cpu'));
      await phone.route('**/*.wasm', (route) => route.abort());
      await p.goto(server.url);
      await waitReady(p, 'float');
      expect(await p.locator('#backend').inputValue()).toBe('cpu');
      await p.locator('#backend').selectOption('wasm');
      await p.locator('#message').waitFor({ state: 'visible', timeout: 90_000 });
      expect(await p.locator('#message-text').textContent()).toMatch(/stays on cpu/);
      await expect.poll(() => p.locator('#backend').inputValue()).toBe('cpu');
      expect(await p.locator('#float-panel .model-backend').textContent()).toBe('cpu');
      expect(await p.evaluate(() => localStorage.getItem('sketch-xnor.playground.backend'))).toBe('cpu');
      await drawCategory(p);
      await waitTop5(p, 'float');
    } finally {
      await phone.close();
    }
  });
});
