// Models the page must refuse or keep straight: input sizes above the models package's limits, a bundle as today's
// export writes it (SparseConv2D first layer), and what the panel says after a failed pick.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@sketch-xnor/backends';
import { CUSTOM_LAYER_CLASSES, MAX_RENDER_SIZE, bundleFromDirectory, exportRun } from '@sketch-xnor/models';
import { ModelLoadError, metaFromManifest, metaFromRun } from '../src/model-meta.js';
import { loadModel, unregisteredLayerClasses } from '../src/model-loader.js';
import { afterFailedLoad } from '../src/panel.js';
import type { ModelInfo } from '../src/protocol.js';
import { TINY_CLASSES, writeTinyRun } from './fixtures/tiny-models.js';

describe('input sizes have limits', () => {
  const manifest = (input: Record<string, unknown>) => ({ model: 'sketch-a-net-xnor', classes: ['a'], options: { inputSize: 81 }, input });

  it('refuses a manifest renderSize above MAX_RENDER_SIZE, naming the file', () => {
    expect(MAX_RENDER_SIZE).toBeGreaterThanOrEqual(1111); // room above TU-Berlin's 1111 px drawings
    expect(() => metaFromManifest(manifest({ renderSize: 8000, cropSize: 81, channels: 1 }), 'b/manifest.json')).toThrow(ModelLoadError);
    expect(() => metaFromManifest(manifest({ renderSize: 8000, cropSize: 81, channels: 1 }), 'b/manifest.json')).toThrow(
      `b/manifest.json: renderSize 8000 is above the limit of ${MAX_RENDER_SIZE}`,
    );
    expect(metaFromManifest(manifest({ renderSize: MAX_RENDER_SIZE, cropSize: 81, channels: 1 }), 'b/manifest.json').input.renderSize).toBe(MAX_RENDER_SIZE);
  });

  it("refuses a run's config.json sample and input sizes above the limits", () => {
    const run = { model: 'sketch-a-net', options: { inputSize: 84 }, classes: ['a', 'b'] };
    expect(() => metaFromRun(run, 'r/run.json', { sample: { renderSize: 100_000, cropSize: 84, channels: 1 } })).toThrow(/r\/run\.json: renderSize 100000 is above the limit/);
    expect(() => metaFromRun({ ...run, options: { inputSize: 30_000 } }, 'r/run.json')).toThrow(/input size 30000 is above the limit/);
    expect(() => metaFromRun(run, 'r/run.json', { sample: { cropSize: 84, channels: 1000 } })).toThrow(/channels 1000 is above the limit/);
  });
});

describe('a bundle as `export` writes it', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('registers every layer class the bundle format can hold', () => {
    expect(CUSTOM_LAYER_CLASSES).toContain('SparseConv2D');
    expect(unregisteredLayerClasses()).toEqual([]);
  });

  it('loads an exported bundle whose first layer is SparseConv2D', async () => {
    const root = await mkdtemp(join(tmpdir(), 'playground-export-'));
    await writeTinyRun(join(root, 'run'));
    await exportRun(join(root, 'run'), join(root, 'bundle'));
    const loaded = await loadModel(bundleFromDirectory(join(root, 'bundle')));
    expect(loaded.format).toBe('bundle');
    expect(loaded.model.layers.some((layer) => layer.getClassName() === 'SparseConv2D')).toBe(true);
    expect(loaded.meta.classes).toEqual(TINY_CLASSES);
    loaded.model.dispose();
  });
});

describe('the panel after a failed pick says what predicts', () => {
  const info: ModelInfo = { name: 'sketch-a-net-xnor', format: 'bundle', bytes: 2048, classes: ['a', 'b'], inputSize: 81, channels: 1, where: 'models/x', kernels: [] };

  it('keeps naming the model that still predicts, with the failure', () => {
    const after = afterFailedLoad(info, 'the chosen files');
    expect(after.state).toBe('ready');
    expect(after.meta).toMatch(/^Size 2\.0 KB · 2 classes · 81px · the chosen files failed to load; still this model$/);
  });

  it('says no model is loaded when none ever was', () => {
    expect(afterFailedLoad(undefined, 'models/default/')).toEqual({ state: 'failed', meta: 'no model loaded (models/default/ failed to load)' });
  });
});
