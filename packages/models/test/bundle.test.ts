import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D, packModel } from '@sketch-xnor/binary-ops';
import { bundleFiles, loadBundle } from '../src/bundle/bundle.js';
import { bundleFromDirectory, writeBundleFiles } from '../src/bundle/node-files.js';

function smallBinaryModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [16, 16, 1], filters: 16, kernelSize: 5, strides: 2, activation: 'relu', name: 'conv1', kernelInitializer: tfl.initializers.heNormal({ seed: 1 }) }));
  m.add(tfl.layers.batchNormalization({ name: 'bn2' }));
  m.add(new QuantConv2D({ filters: 64, kernelSize: 3, padding: 'same', padValue: 1, inputQuantizer: 'ste-sign', kernelQuantizer: 'magnitude-aware-sign', activation: 'relu', name: 'conv2', kernelInitializer: tfl.initializers.heNormal({ seed: 2 }) }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 4, name: 'fc8', kernelInitializer: tfl.initializers.heNormal({ seed: 3 }) }));
  return m;
}

describe('packed bundles', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const info = { model: 'test-net', options: { classes: 4 }, classes: ['a', 'b', 'c', 'd'] };

  it('write, verify and load: the loaded bundle predicts as the float model', async () => {
    const float = smallBinaryModel();
    const { model: packed, report } = packModel(float);
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    await writeBundleFiles(dir, await bundleFiles(packed, { ...info, layers: report.layers }));
    const { model, manifest } = await loadBundle(bundleFromDirectory(dir));
    expect(manifest.classes).toEqual(info.classes);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['model.json', 'weights.bin']);
    const x = tf.randomUniform([3, 16, 16, 1], 0, 1, 'float32', 3);
    const a = float.predict(x) as tf.Tensor;
    const b = model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4);
  });

  it('stores float layers as 8-bit when asked: smaller, and close to the float output', async () => {
    const float = smallBinaryModel();
    const { model: packed } = packModel(float);
    const d32 = mkdtempSync(join(tmpdir(), 'bundle-'));
    const d8 = mkdtempSync(join(tmpdir(), 'bundle-'));
    await writeBundleFiles(d32, await bundleFiles(packed, info));
    await writeBundleFiles(d8, await bundleFiles(packed, { ...info, uint8: true }));
    expect(statSync(join(d8, 'weights.bin')).size).toBeLessThan(statSync(join(d32, 'weights.bin')).size * 0.5);
    const { model } = await loadBundle(bundleFromDirectory(d8));
    const x = tf.randomUniform([3, 16, 16, 1], 0, 1, 'float32', 5);
    const a = tf.argMax(float.predict(x) as tf.Tensor, -1).dataSync();
    const b = tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('refuses truncated, tampered, missing and malformed files with the file named', async () => {
    const { model: packed } = packModel(smallBinaryModel());
    const files = await bundleFiles(packed, info);
    const write = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
      await writeBundleFiles(dir, files);
      return dir;
    };
    let dir = await write();
    const weights = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, weights.length - 10));
    await expect(loadBundle(bundleFromDirectory(dir))).rejects.toThrow(/weights\.bin is \d+ bytes but manifest\.json says \d+ \(truncated\?\)/);

    dir = await write();
    weights[7] ^= 0xff;
    writeFileSync(join(dir, 'weights.bin'), weights);
    await expect(loadBundle(bundleFromDirectory(dir))).rejects.toThrow(/weights\.bin: checksum mismatch/);

    dir = await write();
    writeFileSync(join(dir, 'manifest.json'), '{"format":"sketch-xnor-bundle","version":99}');
    await expect(loadBundle(bundleFromDirectory(dir))).rejects.toThrow(/manifest\.json: version 99 is not supported/);

    dir = await write();
    writeFileSync(join(dir, 'manifest.json'), '{not json');
    await expect(loadBundle(bundleFromDirectory(dir))).rejects.toThrow(/manifest\.json/);

    await expect(loadBundle(bundleFromDirectory(join(dir, 'nope')))).rejects.toThrow(/manifest\.json is missing/);
  });
});
