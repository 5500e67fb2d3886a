import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
import { collectSketches, openDataset, prepareTestViews, type Sketch } from '@sketch-xnor/data';
import { buildModel, saveRun, exportRun, loadBundle, bundleFromDirectory, randomizeBatchNormStatistics } from '@sketch-xnor/models';

const shared = join(process.env['SKETCH_XNOR_SHARED'] ?? join(fileURLToPath(new URL('../../../..', import.meta.url)), 'shared'), 'data');
let sketches: tf.Tensor4D;

beforeAll(async () => {
  await useBackend('wasm');
  // real sketches, rendered as the CLI does (256, center crop 225): 3 Quick, Draw! drawings and 2 TU-Berlin PNGs
  const quickDraw = await openDataset({ kind: 'quickdraw', path: join(shared, 'quickdraw-345'), categories: ['cat', 'bicycle', 'tree'], perCategory: 1 });
  const tuBerlin = await openDataset({ kind: 'tu-berlin-png', path: join(shared, 'tu-berlin-png-40'), categories: ['camel', 'bicycle'], perCategory: 1 });
  const all: Sketch[] = [...(await collectSketches(quickDraw.sketches())), ...(await collectSketches(tuBerlin.sketches()))];
  const views = all.map((sketch) => prepareTestViews(sketch, { renderSize: 256, cropSize: 225 })[0]!);
  sketches = tf.tensor4d(Float32Array.from(views.flatMap((v) => Array.from(v))), [views.length, 225, 225, 1]);
});

describe('exportRun', () => {
  it.each([
    ['sketch-a-net-bwn', 250, true, 25],
    ['sketch-a-net-xnor', 20, false, 25],
  ] as const)('%s at %i classes (8-bit float layers: %s) packs at least %ix smaller, the same logits on real sketches', async (name, classes, uint8, goal) => {
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
    // the binary layers (padding -1 in conv3-conv5 of the XNOR net) are exact; 8-bit conv1 and fc8 round their weights
    // (in an XNOR net that rounding flips signs after conv1, so 8-bit float layers are checked on BWN only)
    const float = Array.from((model.predict(sketches) as tf.Tensor).dataSync());
    const logits = Array.from((packed.predict(sketches) as tf.Tensor).dataSync());
    const scale = float.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const worst = float.reduce((m, v, i) => Math.max(m, Math.abs(v - logits[i]!)), 0);
    expect(scale).toBeGreaterThan(0);
    expect(worst / scale, `largest logit difference ${worst} of ${scale}`).toBeLessThan(uint8 ? 0.05 : 1e-3);
    const labels = (values: number[]) => Array.from(tf.argMax(tf.tensor2d(values, [values.length / classes, classes]), -1).dataSync());
    if (!uint8) expect(labels(logits)).toEqual(labels(float));
    rmSync(run, { recursive: true });
    rmSync(out, { recursive: true });
  });
});
