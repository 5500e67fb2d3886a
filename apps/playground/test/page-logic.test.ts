import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseQuickDrawLine, prepareTestViews, type Sketch } from '@sketch-xnor/data';
import { ModelLoadError, inputSpecFrom, metaFromManifest, metaFromRun, toProbabilities } from '../src/model-meta.js';
import { networkInput, sketchFromDrawing } from '../src/preprocess.js';
import { createWorkQueue } from '../src/work-queue.js';
import { availableBackends, binaryBackendFor, formatPercent, modelUrlsFrom, rememberBackend, storedBackend, BACKEND_KEY } from '../src/settings.js';
import { absoluteFolderUrl, slotForFiles, slotForUrl } from '../src/origin.js';
import { previewPixels } from '../src/panel.js';
import type { DrawnStroke } from '../src/strokes.js';

const shared = process.env.SKETCH_XNOR_SHARED ?? resolve(import.meta.dirname, '../../../../shared');

describe('model metadata', () => {
  it('reads run.json, taking the preprocessing from the CLI config.json when there is one', () => {
    const run = { model: 'sketch-a-net', options: { inputSize: 84, channels: 1, width: 0.5 }, classes: ['a', 'b'] };
    expect(metaFromRun(run, 'r/run.json')).toEqual({ name: 'sketch-a-net', classes: ['a', 'b'], input: { renderSize: 96, cropSize: 84, channels: 1 } });
    const config = { sample: { renderSize: 100, cropSize: 84, channels: 3, augment: true } };
    expect(metaFromRun(run, 'r/run.json', config).input).toEqual({ renderSize: 100, cropSize: 84, channels: 3 });
  });

  it('refuses incomplete metadata, naming the file', () => {
    expect(() => metaFromRun([], 'r/run.json')).toThrow('r/run.json: is not a JSON object');
    expect(() => metaFromRun({ options: {}, classes: ['a'] }, 'r/run.json')).toThrow('r/run.json: has no "model" name');
    expect(() => metaFromRun({ model: 'm', classes: ['a'] }, 'r/run.json')).toThrow('has no "options" object');
    expect(() => metaFromRun({ model: 'm', options: { inputSize: 84 }, classes: [1] }, 'r/run.json')).toThrow(ModelLoadError);
    expect(() => inputSpecFrom({ inputSize: '84' }, undefined, 'x')).toThrow('x: options.inputSize must be a positive integer, got "84"');
    expect(() => inputSpecFrom({ inputSize: 84 }, { renderSize: 50 }, 'x')).toThrow('renderSize must be an integer >= the input size 84');
  });

  it('reads a bundle manifest', () => {
    const manifest = { model: 'sketch-a-net-xnor', classes: ['a'], options: { inputSize: 81 }, input: { renderSize: 92, cropSize: 81, channels: 1 } };
    expect(metaFromManifest(manifest, 'b/manifest.json')).toEqual({ name: 'sketch-a-net-xnor', classes: ['a'], input: { renderSize: 92, cropSize: 81, channels: 1 } });
  });

  it('turns logits into probabilities and keeps distributions', () => {
    const p = toProbabilities([1, 2, 3]);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const sum = e[0]! + e[1]! + e[2]!;
    e.forEach((v, i) => expect(p[i]).toBeCloseTo(v / sum, 6));
    expect(Array.from(toProbabilities([0.25, 0.75]))).toEqual([0.25, 0.75]);
    expect(toProbabilities([1000, 0])[0]).toBeCloseTo(1, 6); // no overflow
  });
});

describe('preprocessing', () => {
  const line = readFileSync(join(shared, 'data/quickdraw-345/cat.ndjson'), 'utf8').split('\n')[0]!;
  const parsed = parseQuickDrawLine(line);
  if (typeof parsed === 'string') throw new Error(`cat.ndjson:1 did not parse: ${parsed}`);
  const sketch: Sketch = { label: 'cat', id: 'cat.ndjson:1', strokes: parsed.strokes };
  const input = { renderSize: 96, cropSize: 84, channels: 1 };

  it('feeds the network what training feeds it, wherever and however large the person draws', () => {
    const expected = prepareTestViews(sketch, { ...input, augment: false })[0]!;
    // the same strokes as a person would draw them on a 340 px pad: scaled and moved
    const drawn: DrawnStroke[] = sketch.strokes.map((s) => ({
      xs: Array.from(s.x, (x) => 20 + x * 1.25),
      ys: Array.from(s.y, (y) => 35 + y * 1.25),
      ts: Array.from(s.x, (_, i) => i * 16),
    }));
    const got = networkInput(drawn, input);
    expect(got.length).toBe(84 * 84);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-3);
    expect(got.reduce((a, b) => a + b, 0)).toBeGreaterThan(100); // there is ink
  });

  it('keeps stroke order for 3-channel models', () => {
    const strokes: DrawnStroke[] = [0, 1, 2].map((k) => ({ xs: [0, 100], ys: [k * 50, k * 50], ts: [0, 1] }));
    expect(sketchFromDrawing(strokes).strokes).toHaveLength(3);
    const image = networkInput(strokes, { renderSize: 96, cropSize: 84, channels: 3 });
    const inkPerChannel = [0, 1, 2].map((c) => image.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0));
    inkPerChannel.forEach((ink) => expect(ink).toBeGreaterThan(10));
  });
});

describe('work queue', () => {
  it('runs jobs one at a time in order, and only the latest waiting prediction', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = createWorkQueue<string>(
      async (job) => {
        ran.push(job);
        if (job === 'load') await gate;
      },
      (job) => job.startsWith('predict'),
    );
    queue.push('load');
    queue.push('predict 1');
    queue.push('backend');
    queue.push('predict 2');
    queue.push('predict 3');
    expect(ran).toEqual(['load']);
    release();
    await queue.idle();
    expect(ran).toEqual(['load', 'backend', 'predict 3']);
  });
});

describe('settings', () => {
  it('offers WebGPU only where it exists and remembers the pick', () => {
    expect(availableBackends(false)).not.toContain('webgpu');
    expect(availableBackends(true)).toContain('webgpu');
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedBackend(storage, availableBackends(false))).toBe('wasm');
    rememberBackend(storage, 'webgl');
    expect(store.get(BACKEND_KEY)).toBe('webgl');
    expect(storedBackend(storage, availableBackends(false))).toBe('webgl');
    rememberBackend(storage, 'webgpu');
    expect(storedBackend(storage, availableBackends(false))).toBe('wasm'); // not offered here any more
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(storedBackend(throwing, ['wasm'])).toBe('wasm');
    expect(() => rememberBackend(throwing, 'cpu')).not.toThrow();
  });

  it('runs the binary model where its XNOR kernel is', () => {
    expect(['wasm', 'webgl', 'webgpu', 'cpu'].map((b) => binaryBackendFor(b as 'wasm'))).toEqual(['wasm', 'wasm', 'webgpu', 'cpu']);
  });

  it('takes model URLs from the address and formats percentages', () => {
    const defaults = { float: 'models/default/float/', binary: 'models/default/binary/' };
    expect(modelUrlsFrom('', defaults)).toEqual(defaults);
    expect(modelUrlsFrom('?binary=https%3A%2F%2Fx.org%2Fb%2F', defaults)).toEqual({ ...defaults, binary: 'https://x.org/b/' });
    expect([0.8734, 0.0512, 0.0004].map(formatPercent)).toEqual(['87%', '5.1%', '0.0%']);
  });
});

describe('model origin', () => {
  it('sends bundles to the binary slot and runs to the float slot, and explains a wrong pick', () => {
    expect(slotForFiles(['model.json', 'manifest.json', 'weights.bin'])).toEqual({ slot: 'binary' });
    expect(slotForFiles(['run.json', 'model.json', 'weights.bin'])).toEqual({ slot: 'float' });
    const wrong = slotForFiles(['model.json', 'weights.bin']);
    expect('error' in wrong && wrong.error).toMatch(/Neither manifest\.json nor run\.json among the chosen files \(model\.json, weights\.bin\)/);
  });

  it('probes a URL for a manifest', async () => {
    const serve = (body: string | null) => vi.fn(async () => (body === null ? new Response('no', { status: 404 }) : new Response(body)));
    expect(await slotForUrl('https://x.org/b', serve('{"format":"sketch-xnor-bundle"}') as typeof fetch)).toBe('binary');
    expect(await slotForUrl('https://x.org/r/', serve(null) as typeof fetch)).toBe('float');
    expect(await slotForUrl('https://x.org/r/', serve('<!doctype html>') as typeof fetch)).toBe('float');
    const probe = serve(null);
    await slotForUrl('https://x.org/b', probe as typeof fetch);
    expect(String((probe.mock.calls[0] as unknown[])[0])).toBe('https://x.org/b/manifest.json');
    expect(absoluteFolderUrl(' models/x ', 'https://h.org/app/index.html')).toBe('https://h.org/app/models/x/');
  });
});

describe('preview', () => {
  it('draws ink dark on white, stroke-order channels as colors', () => {
    const gray = previewPixels(Float32Array.from([0, 1, 0.5, 0]), 2, 1);
    expect(Array.from(gray.subarray(0, 8))).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
    expect(gray[8]).toBe(128);
    const rgb = previewPixels(Float32Array.from([1, 0, 0]), 1, 3);
    expect(Array.from(rgb)).toEqual([0, 255, 255, 255]);
  });
});
