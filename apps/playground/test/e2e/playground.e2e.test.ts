// The built playground in Debian's Chromium at a phone viewport with touch: draw a Quick, Draw! sketch stroke by
// stroke and get top-5 from both models, switch backends (remembered), load broken models and read the message,
// then reload with the server gone and the browser offline and classify again. A bundle that the current CLI trains
// and exports in this test must load too (its first layer is a SparseConv2D, which the default bundle predates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { useBackend } from '@sketch-xnor/backends';
import { DIST, drawWithTouch, ensureBuilt, launchPhone, quickDrawSketch, serveStatic, topLabels, type StaticServer } from './harness.js';
import { TINY_CLASSES, writeTinyBundle, writeTinyRun } from '../fixtures/tiny-models.js';
import { runCli } from '../../../cli/test/cli-process.js';

const DEFAULT_MODEL = join(DIST, 'models/default');
// With the shipped default model the drawn category must be in the top-5; before it exists, an untrained tiny one.
const hasDefault = existsSync(join(DEFAULT_MODEL, 'float/run.json')) && existsSync(join(DEFAULT_MODEL, 'binary/manifest.json'));
const CATEGORY = hasDefault ? process.env.PLAYGROUND_E2E_CATEGORY ?? 'umbrella' : 'cat';

let server: StaticServer;
let context: BrowserContext;
let page: Page;
let fixtures: string;
let startUrl: string;
let exportedClasses: string[];

/** A tiny XNOR run trained and exported by the built CLI, as a user makes one. */
async function exportWithCli(root: string): Promise<string[]> {
  const run = join(root, 'cli-run');
  const train = ['train', '--model', 'sketch-a-net-xnor', '--per-category', '5', '--batch', '8', '--size', '45', '--width', '0.125', '--max-steps', '1', '--no-progress', '--out', run];
  for (const args of [train, ['export', '--run', run, '--out', join(root, 'cli-bundle')]]) {
    const result = await runCli(args);
    if (result.code !== 0) throw new Error(`sketch-xnor ${args.join(' ')} failed:\n${result.stderr}`);
  }
  return (JSON.parse(await readFile(join(root, 'cli-bundle/manifest.json'), 'utf8')) as { classes: string[] }).classes;
}

async function waitReady(slot: 'float' | 'binary'): Promise<void> {
  await page.locator(`#${slot}-panel[data-state='ready']`).waitFor({ timeout: 60_000 });
}

/** The top-5 shown for the latest drawing (not an earlier answer to a part of it). */
async function waitTop5(slot: 'float' | 'binary'): Promise<string[]> {
  await page.waitForFunction((s) => {
    const panel = document.getElementById(`${s}-panel`)!;
    return panel.dataset.predictionId === document.body.dataset.requestId && panel.querySelectorAll('ol.top li').length === 5;
  }, slot, { timeout: 60_000 });
  return topLabels(page, slot);
}

async function drawCategory(): Promise<void> {
  await page.locator('#clear').click();
  await drawWithTouch(page, await quickDrawSketch(CATEGORY));
}

beforeAll(async () => {
  ensureBuilt();
  await useBackend('cpu');
  fixtures = mkdtempSync(join(tmpdir(), 'playground-e2e-'));
  await writeTinyRun(join(fixtures, 'run'));
  await writeTinyBundle(join(fixtures, 'bundle'));
  // broken copies: truncated weights, a manifest of another format, an unknown layer
  await cp(join(fixtures, 'bundle'), join(fixtures, 'truncated'), { recursive: true });
  const weights = await readFile(join(fixtures, 'truncated/weights.bin'));
  await writeFile(join(fixtures, 'truncated/weights.bin'), weights.subarray(0, weights.byteLength >> 1));
  await cp(join(fixtures, 'bundle'), join(fixtures, 'wrong-manifest'), { recursive: true });
  await writeFile(join(fixtures, 'wrong-manifest/manifest.json'), JSON.stringify({ format: 'tfjs-graph', version: 1 }));
  await cp(join(fixtures, 'run'), join(fixtures, 'unknown-layer'), { recursive: true });
  const model = await readFile(join(fixtures, 'unknown-layer/model.json'), 'utf8');
  await writeFile(join(fixtures, 'unknown-layer/model.json'), model.replace('"class_name":"MaxPooling2D"', '"class_name":"FancyPool2D"'));
  // as a run saved before run.json recorded checksums: else the edited model.json is refused by its size first
  const runInfo = JSON.parse(await readFile(join(fixtures, 'unknown-layer/run.json'), 'utf8'));
  delete runInfo.files;
  await writeFile(join(fixtures, 'unknown-layer/run.json'), JSON.stringify(runInfo));
  exportedClasses = await exportWithCli(fixtures);

  server = await serveStatic({ '/': DIST, '/fixtures/': fixtures });
  startUrl = hasDefault ? server.url : `${server.url}?float=fixtures/run/&binary=fixtures/bundle/`;
  context = await launchPhone();
  page = await context.newPage();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(startUrl);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe('playground in Chromium (360 x 740, touch)', () => {
  it('loads both models and fits a phone screen without horizontal scrolling', async () => {
    await waitReady('float');
    await waitReady('binary');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await page.locator('#float-panel .model-meta').textContent()).toMatch(/(KB|MB) · \d+ classes · \d+px/);
    expect(await page.locator('#binary-panel .model-name').textContent()).toMatch(/xnor|bwn/);
    expect(await page.locator('#pad').evaluate((el) => getComputedStyle(el).touchAction)).toBe('none');
  });

  it(`classifies a Quick, Draw! ${CATEGORY} drawn stroke by stroke, in both models`, async () => {
    await drawCategory();
    const float = await waitTop5('float');
    const binary = await waitTop5('binary');
    if (hasDefault) {
      expect(float).toContain(CATEGORY);
      expect(binary).toContain(CATEGORY);
    } else {
      for (const label of [...float.slice(0, 3), ...binary.slice(0, 3)]) expect(TINY_CLASSES).toContain(label);
    }
    expect(await page.locator('#float-panel .latency').textContent()).toMatch(/^Latency \d+\.\d ms/);
    expect(await page.locator('#binary-panel .latency').textContent()).toMatch(/^Latency \d+\.\d ms/);
    // the preview shows the network input: the model's input size, with ink in it
    const preview = await page.locator('#float-panel canvas.preview').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) ink++;
      return { width: canvas.width, ink };
    });
    expect(preview.width).toBeGreaterThanOrEqual(81);
    expect(preview.ink).toBeGreaterThan(50);
  });

  it('undoes a stroke and clears the pad', async () => {
    const before = await page.evaluate(() => document.body.classList.contains('has-drawing'));
    expect(before).toBe(true);
    await page.locator('#undo').click();
    await waitTop5('float');
    await page.locator('#clear').click();
    await expect.poll(() => page.locator('#float-panel ol.top li').count()).toBe(0);
    expect(await page.evaluate(() => document.body.classList.contains('has-drawing'))).toBe(false);
  });

  it('switches backends, keeps working, and remembers the choice', async () => {
    await page.locator('#backend').selectOption('cpu');
    await expect.poll(() => page.locator('#float-panel .model-backend').textContent(), { timeout: 60_000 }).toBe('cpu');
    await expect.poll(() => page.locator('#binary-panel .model-backend').textContent(), { timeout: 60_000 }).toBe('cpu');
    await waitReady('float');
    await drawCategory();
    const onCpu = await waitTop5('float');
    if (hasDefault) expect(onCpu).toContain(CATEGORY);

    // WebGL in a headless worker without a GPU may not start: then the page says so and stays on cpu
    await page.locator('#backend').selectOption('webgl');
    await expect
      .poll(async () => ((await page.locator('#float-panel .model-backend').textContent()) === 'webgl' ? 'webgl' : await page.locator('#message').isVisible()), {
        timeout: 60_000,
      })
      .toBeTruthy();
    if (await page.locator('#message').isVisible()) {
      expect(await page.locator('#message-text').textContent()).toMatch(/webgl/i);
      await page.locator('#dismiss').click();
    }
    await expect.poll(() => page.locator('#binary-panel .model-backend').textContent()).toBe('wasm'); // the XNOR kernel is not on webgl
    await drawCategory();
    await waitTop5('float');

    await page.locator('#backend').selectOption('wasm');
    await page.reload();
    expect(await page.locator('#backend').inputValue()).toBe('wasm');
    await page.locator('#backend').selectOption('cpu');
    await page.reload();
    expect(await page.locator('#backend').inputValue()).toBe('cpu');
    await page.locator('#backend').selectOption('wasm');
    await expect.poll(() => page.locator('#float-panel .model-backend').textContent(), { timeout: 60_000 }).toBe('wasm');
  });

  it('loads a bundle that the current CLI exported (SparseConv2D first layer) and classifies with it', async () => {
    expect(await readFile(join(fixtures, 'cli-bundle/model.json'), 'utf8')).toContain('"class_name":"SparseConv2D"');
    await page.locator('#loader summary').click();
    await page.locator('#model-url').fill(`${server.url}fixtures/cli-bundle/`);
    await page.locator('#url-form button').click();
    const loaded = `${exportedClasses.length} classes · 45px`;
    await page.waitForFunction(
      (meta) => !document.getElementById('message')!.hidden || document.querySelector('#binary-panel .model-meta')!.textContent!.endsWith(meta),
      loaded,
      { timeout: 60_000 },
    );
    const shown = await page.locator('#message').isVisible();
    expect(shown ? await page.locator('#message-text').textContent() : 'no message').toBe('no message');
    expect(await page.locator('#binary-panel').getAttribute('data-state')).toBe('ready');
    expect(await page.locator('#binary-panel .model-name').textContent()).toBe('sketch-a-net-xnor');
    await drawCategory();
    for (const label of await waitTop5('binary')) expect(exportedClasses).toContain(label);
    await page.locator('#loader summary').click(); // closed again, as the next test expects
  });

  it('says clearly what is wrong with malformed models and keeps the page working', async () => {
    await waitReady('binary');
    const before = { name: await page.locator('#binary-panel .model-name').textContent(), meta: await page.locator('#binary-panel .model-meta').textContent() };
    const truncated = ['manifest.json', 'model.json', 'weights.bin'].map((f) => join(fixtures, 'truncated', f));
    await page.locator('#model-files').setInputFiles(truncated);
    await page.locator('#message').waitFor({ state: 'visible' });
    expect(await page.locator('#message-text').textContent()).toMatch(/Binary model: .*weights\.bin is \d+ bytes but manifest\.json says \d+ \(truncated\?\)/);
    // the panel names the model that still predicts, and says the pick failed
    expect(await page.locator('#binary-panel').getAttribute('data-state')).toBe('ready');
    expect(await page.locator('#binary-panel .model-name').textContent()).toBe(before.name);
    expect(await page.locator('#binary-panel .model-meta').textContent()).toBe(`${before.meta} · the chosen files failed to load; still this model`);

    await page.locator('#dismiss').click();
    await page.locator('#loader summary').click();
    await page.locator('#model-url').fill(`${server.url}fixtures/wrong-manifest/`);
    await page.locator('#url-form button').click();
    await page.locator('#message').waitFor({ state: 'visible' });
    expect(await page.locator('#message-text').textContent()).toMatch(/manifest\.json: format is "tfjs-graph", expected "sketch-xnor-bundle"/);

    await page.locator('#dismiss').click();
    await page.locator('#model-url').fill(`${server.url}fixtures/unknown-layer/`);
    await page.locator('#url-form button').click();
    await page.locator('#message').waitFor({ state: 'visible' });
    expect(await page.locator('#message-text').textContent()).toMatch(/Float model: .*unknown-layer\/model\.json: cannot build the model \(.*FancyPool2D/);

    await page.locator('#dismiss').click();
    await page.locator('#model-files').setInputFiles([join(fixtures, 'run', 'model.json')]);
    expect(await page.locator('#message-text').textContent()).toMatch(/Neither manifest\.json nor run\.json/);

    // the models loaded before still classify
    await drawCategory();
    await waitTop5('float');
    await waitTop5('binary');
  });

  it('works offline after the first visit', async () => {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 30_000 }).toBe(true);
    // once controlled, a reload fetches the models through the service worker (the defaults are precached anyway)
    await page.goto(startUrl);
    await waitReady('float');
    await waitReady('binary');
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await waitReady('float');
    await waitReady('binary');
    await drawCategory();
    const float = await waitTop5('float');
    if (hasDefault) expect(float).toContain(CATEGORY);
    await waitTop5('binary');
  });
});
