import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
import { buildModel, saveRun, exportRun, loadBundle, bundleFromDirectory, randomizeBatchNormStatistics } from '@sketch-xnor/models';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('exportRun', () => {
  it.each([
    ['sketch-a-net-bwn', 250, true, 25],
    ['sketch-a-net-xnor', 20, false, 25],
  ] as const)('%s at %i classes (8-bit float layers: %s) packs at least %ix smaller and predicts the same labels', async (name, classes, uint8, goal) => {
    const options = { classes, inputSize: 225, width: 1, dropout: 0 };
    const model = buildModel(name, options);
    randomizeBatchNormStatistics(model);
    const run = mkdtempSync(join(tmpdir(), 'export-run-'));
    const out = mkdtempSync(join(tmpdir(), 'export-out-'));
    await saveRun(run, model, { model: name, options, classes: Array.from({ length: classes }, (_, i) => `c${i}`) });
    const result = await exportRun(run, out, { uint8 });
    const ratio = result.floatBytes / result.bundleBytes;
    expect(ratio, `float ${result.floatBytes} B, bundle ${result.bundleBytes} B`).toBeGreaterThan(goal);
    expect(result.report.layers.filter((l) => l.action.startsWith('packed')).map((l) => l.name)).toEqual(['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']);
    const { model: packed } = await loadBundle(bundleFromDirectory(out));
    const x = tf.randomNormal([2, 225, 225, 1], 0, 1, 'float32', 4);
    const a = tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync();
    const b = tf.argMax(packed.predict(x) as tf.Tensor, -1).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    rmSync(run, { recursive: true });
    rmSync(out, { recursive: true });
  });
});
