import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  buildVizReport, predictProbabilities, computeBinaryInputActivations, kernelWeights, renderReport, writeReport, type RenderedReport, type VizProgress,
} from '@sketch-xnor/viz';
import { strokeImage, tinyBwnNet, tinyConvNet, tinyXnorNet, useCpu } from './fixtures.js';

const size = 16;
const sketch = strokeImage(size, [[2, 3, 13, 12], [4, 12, 12, 4]]);
const categories = ['cat', 'house', 'tree'];

function metrics(scale: number) {
  const events = [];
  for (let step = 1; step <= 20; step++) events.push({ type: 'step', step, epoch: Math.floor((step - 1) / 10), loss: scale * (2 - step / 20), top1: step / 25, lr: 0.001 });
  events.push({ type: 'eval', step: 10, epoch: 0, split: 'test', loss: 1.5, top1: 0.4, top5: 0.9 }, { type: 'eval', step: 20, epoch: 1, split: 'test', loss: 1.2, top1: 0.55, top5: 0.95 });
  return events;
}

/** Every src="..." of the page. */
const imageSources = (html: string) => [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);

describe('renderReport', () => {
  it('references every figure it lists, escapes text and rejects unsafe file names', () => {
    const report = renderReport({
      title: 'A <b> run',
      runs: [{ label: 'x&y', config: { lr: 0.1 }, summary: { 'test top1': 0.5 } }],
      sections: [
        { title: 'One', figures: [{ file: 'a.png', title: 'A', content: new Uint8Array([1]) }, { file: 'b.svg', title: 'B', content: '<svg/>' }] },
        { title: 'Empty' },
      ],
    });
    expect(imageSources(report.html)).toEqual(['a.png', 'b.svg']);
    expect(report.files.map((f) => f.name)).toEqual(['a.png', 'b.svg']);
    expect(report.html).toContain('A &lt;b&gt; run');
    expect(report.html).toContain('x&amp;y');
    expect(report.html).toContain('&quot;lr&quot;: 0.1');
    expect(report.html).not.toContain('Empty');
    const figure = (file: string) => ({ title: 'T', sections: [{ title: 'S', figures: [{ file, title: 'F', content: '<svg/>' }] }], runs: [] });
    expect(() => renderReport(figure('../x.svg'))).toThrow(/file name "\.\.\/x\.svg" must match/);
    expect(() => renderReport(figure('x.png'))).toThrow(/a \.png needs bytes/);
  });
});

describe('buildVizReport', () => {
  let report: RenderedReport;
  let vanillaModel: tfl.LayersModel;
  let xnorModel: tfl.LayersModel;
  const progress: VizProgress[] = [];

  beforeAll(async () => {
    await useCpu();
    const vanilla = (vanillaModel = tinyConvNet(size, 3, 1));
    const xnor = (xnorModel = await tinyXnorNet(size, 3, 2));
    const earlier = kernelWeights(xnor).map((k) => ({ ...k, values: k.values.map((v, i) => (i % 4 === 0 ? -v : v)) }));
    report = await buildVizReport(
      [
        { label: 'vanilla', model: vanilla, path: 'runs/vanilla', config: { model: 'sketch-a-net' }, events: metrics(1), categories },
        { label: 'bwn', model: await tinyBwnNet(size, 3, 3), categories },
        {
          label: 'xnor', model: xnor, events: metrics(1.2), categories, earlierWeights: { label: 'epoch 1', weights: earlier },
          evaluation: { labels: [0, 0, 1, 1, 2, 2], predictions: [0, 1, 1, 1, 0, 2] },
        },
      ],
      { sketch, sketchName: 'test sketch', sketchClass: 2, maximization: { steps: 2, classes: 1, units: 1 }, onProgress: (p) => progress.push(p), generatedAt: 'test' },
    );
  });

  it('lists every figure once, each with its file, and the run configs', () => {
    const sources = imageSources(report.html);
    expect(new Set(sources).size).toBe(sources.length);
    expect([...sources].sort()).toEqual(report.files.map((f) => f.name).sort());
    const expected = [
      'training-curves.svg', 'sketch.png', 'activations-conv1.png', 'activations-conv2.png', 'xnor-binary-input-xnor2.png',
      'vanilla-maximized-classes.png', 'vanilla-maximized-units.png', 'xnor-maximized-classes.png', 'xnor-maximized-units.png',
      'bwn-maximized-units.png', 'vanilla-filters-conv1.png', 'xnor-filters-conv1.png', 'bwn-filters-bwn1.png', 'bwn-filters-bwn1-binarized.png',
      'vanilla-weight-histograms.svg', 'xnor-weight-histograms.svg', 'bwn-weight-histograms.svg', 'xnor-sign-flips.svg',
      'xnor-confusion.svg', 'xnor-per-class-accuracy.svg',
    ];
    for (const file of expected) expect(sources).toContain(file);
    // Saliency for the predicted class and for the true class (2) of each run.
    for (const [run, model] of [['vanilla', vanillaModel], ['xnor', xnorModel]] as const) {
      const probabilities = Array.from(predictProbabilities(model, sketch));
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      expect(sources.filter((s) => s.startsWith(`${run}-saliency-`)).sort()).toEqual([...new Set([predicted, 2])].map((c) => `${run}-saliency-class${c}.png`).sort());
    }
    expect(sources).not.toContain('vanilla-filters-conv1-binarized.png');
    expect(sources.filter((s) => s.includes('binary-input'))).toEqual(['xnor-binary-input-xnor2.png']);
    expect(report.html).toContain('Convolution 1: vanilla | bwn | xnor');
    expect(report.html).toContain('runs/vanilla');
    expect(report.html).toContain('&quot;model&quot;: &quot;sketch-a-net&quot;');
    expect(report.html).toMatch(/<td>cat<\/td><td>house<\/td><td>1<\/td>/); // top confusion row
  });

  it('reports progress up to the total for the slow part', () => {
    const maximization = progress.filter((p) => p.stage === 'activation maximization');
    expect(maximization.at(-1)).toEqual({ stage: 'activation maximization', done: 3 * 2 * 2, total: 3 * 2 * 2 });
    expect(maximization.map((p) => p.done)).toEqual([...maximization.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('shows the binary inputs only for layers that binarize them', async () => {
    const xnor = await tinyXnorNet(size);
    // Paper = 1 here, so the float first layer gives both signs.
    const inverted = { ...sketch, data: sketch.data.map((v) => 1 - v) };
    const maps = computeBinaryInputActivations(xnor, inverted);
    expect(maps.map((m) => [m.layer, m.channels])).toEqual([['xnor2', 4]]);
    const probe = tfl.model({ inputs: xnor.inputs, outputs: xnor.getLayer('pool1').output as tfl.SymbolicTensor });
    const pooled = (probe.predict(tf.tensor4d(inverted.data, [1, size, size, 1])) as tf.Tensor).dataSync();
    expect(Array.from(maps[0]!.data)).toEqual(Array.from(pooled, (v) => (v >= 0 ? 1 : -1)));
    expect(new Set(maps[0]!.data)).toEqual(new Set([1, -1]));
    expect(computeBinaryInputActivations(tinyConvNet(size), sketch)).toEqual([]);
  });

  it('opens in headless Chromium with every image shown and no errors', async (context) => {
    if (!existsSync('/usr/bin/chromium')) {
      context.skip('Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)');
      return;
    }
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'viz-report-'));
    const profile = mkdtempSync(join(tmpdir(), 'viz-chromium-'));
    try {
      const written = await writeReport(dir, report);
      expect(written.at(-1)).toBe(join(dir, 'report.html'));
      expect(readFileSync(join(dir, 'sketch.png')).subarray(1, 4).toString()).toBe('PNG');
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
        await page.goto(`file://${join(dir, 'report.html')}`);
        // Images are lazy; scroll each into view so it loads.
        await page.$$eval('img', (images) => images.forEach((image) => { image.loading = 'eager'; }));
        await page.waitForFunction(() => [...document.images].every((image) => image.complete), undefined, { timeout: 30_000 });
        const images = await page.$$eval('img', (list) => list.map((image) => ({ src: image.getAttribute('src'), width: image.naturalWidth, height: image.naturalHeight })));
        expect(images.length).toBe(report.files.length);
        for (const image of images) expect(image.width, image.src ?? '').toBeGreaterThan(0);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
