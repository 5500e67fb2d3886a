import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { QuantConv2D } from '@sketch-xnor/binary-ops';
import { buildModel, listModels, saveRun, loadRun, initFromRun, sketchANetGeometry } from '@sketch-xnor/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tmp = () => mkdtempSync(join(tmpdir(), 'models-'));

describe('the zoo', () => {
  it('lists its networks', () => {
    expect(listModels()).toEqual(['sketch-a-net', 'sketch-a-net-bwn', 'sketch-a-net-xnor']);
  });

  it('builds Sketch-A-Net exactly: 8,508,666 parameters at 225x225 and 250 classes, logits out', () => {
    const m = buildModel('sketch-a-net', { classes: 250 });
    expect(m.countParams()).toBe(8_508_666);
    expect(m.inputs[0]!.shape).toEqual([null, 225, 225, 1]);
    expect(m.outputs[0]!.shape).toEqual([null, 250]);
    const names = m.layers.map((l) => l.name);
    for (const n of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8']) expect(names).toContain(n);
    expect(m.getLayer('fc6').getWeights()[0]!.shape).toEqual([7, 7, 256, 512]);
    tf.dispose(m.getWeights());
  });

  it('binarizes conv2..fc7 only; BWN has the same parameter count, XNOR adds BatchNorms and pads with -1', () => {
    const bwn = buildModel('sketch-a-net-bwn', { classes: 250 });
    expect(bwn.countParams()).toBe(8_508_666);
    const quantized = bwn.layers.filter((l) => l instanceof QuantConv2D).map((l) => l.name);
    expect(quantized).toEqual(['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']);
    const xnor = buildModel('sketch-a-net-xnor', { classes: 10, inputSize: 128, width: 0.25 });
    const conv3 = xnor.getLayer('conv3') as QuantConv2D;
    expect(conv3.inputQuantizer?.name).toBe('ste-sign');
    expect(conv3.kernelQuantizer?.name).toBe('magnitude-aware-sign');
    expect(conv3.padValue).toBe(-1);
    // block order: BatchNorm right before each binary conv
    const order = xnor.layers.map((l) => l.name);
    expect(order.indexOf('bn_conv3')).toBe(order.indexOf('conv3') - 1);
  });

  it.each([
    [225, 1, 7],
    [128, 0.5, 2],
    [112, 0.25, 2],
    [96, 0.25, 1],
  ])('recomputes spatial sizes: input %i, width %f -> fc6 kernel %i', (inputSize, width, k) => {
    expect(sketchANetGeometry(inputSize).pool5).toBe(k);
    const m = buildModel('sketch-a-net', { classes: 5, inputSize, width, channels: 3 });
    expect(m.getLayer('fc6').getWeights()[0]!.shape).toEqual([k, k, Math.round(256 * width), Math.round(512 * width)]);
    expect(m.getLayer('conv1').getWeights()[0]!.shape[2]).toBe(3);
    const y = m.predict(tf.zeros([2, inputSize, inputSize, 3])) as tf.Tensor;
    expect(y.shape).toEqual([2, 5]);
  });

  it('errors clearly on unknown models, bad options and too-small inputs', () => {
    expect(() => buildModel('alexnet')).toThrow(/Unknown model "alexnet"\. Known models: sketch-a-net, sketch-a-net-bwn, sketch-a-net-xnor/);
    expect(() => buildModel('sketch-a-net', { clases: 3 })).toThrow(/unknown option\(s\) clases/);
    expect(() => buildModel('sketch-a-net', { inputSize: 64 })).toThrow(/inputSize 64 is too small .* smallest input that fits is 81/);
    expect(() => buildModel('sketch-a-net', { width: -1 })).toThrow(/width must be/);
  });

  it('initializes deterministically from the seed with He-normal statistics', () => {
    const a = buildModel('sketch-a-net', { classes: 10, inputSize: 128, width: 0.5, seed: 3 });
    const b = buildModel('sketch-a-net', { classes: 10, inputSize: 128, width: 0.5, seed: 3 });
    const c = buildModel('sketch-a-net', { classes: 10, inputSize: 128, width: 0.5, seed: 4 });
    const wa = a.getLayer('conv4').getWeights()[0]!;
    expect(Array.from(b.getLayer('conv4').getWeights()[0]!.dataSync())).toEqual(Array.from(wa.dataSync()));
    expect(Array.from(c.getLayer('conv4').getWeights()[0]!.dataSync())).not.toEqual(Array.from(wa.dataSync()));
    // He-normal (truncated): std ~ sqrt(2 / fan_in) times the truncation factor 0.88
    const fanIn = 3 * 3 * 128;
    const std = Math.sqrt(tf.moments(wa).variance.dataSync()[0]!);
    expect(std / Math.sqrt(2 / fanIn)).toBeGreaterThan(0.8);
    expect(std / Math.sqrt(2 / fanIn)).toBeLessThan(1.05);
  });
});

describe('run folders', () => {
  it('save and load round-trip every variant, custom layers included', async () => {
    for (const name of listModels()) {
      const options = { classes: 4, inputSize: 96, width: 0.25 };
      const model = buildModel(name, options);
      const dir = tmp();
      await saveRun(dir, model, { model: name, options, classes: ['a', 'b', 'c', 'd'] });
      const { model: loaded, info } = await loadRun(dir);
      expect(info.model).toBe(name);
      expect(info.classes).toEqual(['a', 'b', 'c', 'd']);
      const x = tf.randomUniform([2, 96, 96, 1], 0, 1, 'float32', 1);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
      rmSync(dir, { recursive: true });
    }
  });

  it('names the missing or truncated file', async () => {
    const dir = tmp();
    await expect(loadRun(dir)).rejects.toThrow(new RegExp(`${dir}/run\\.json is missing`));
    const model = buildModel('sketch-a-net', { classes: 2, inputSize: 96, width: 0.25 });
    await saveRun(dir, model, { model: 'sketch-a-net', options: {}, classes: ['x', 'y'] });
    const weights = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, 1000));
    await expect(loadRun(dir)).rejects.toThrow(/weights\.bin: 1000 bytes, but model\.json lists \d+ bytes of weights \(truncated\?\)/);
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
    await expect(loadRun(dir)).rejects.toThrow(/model\.json: not valid JSON/);
    rmSync(dir, { recursive: true });
  });

  it('initializes a BWN / XNOR model from a vanilla run by layer name', async () => {
    const options = { classes: 3, inputSize: 96, width: 0.25 };
    const vanilla = buildModel('sketch-a-net', { ...options, seed: 9 });
    const dir = tmp();
    await saveRun(dir, vanilla, { model: 'sketch-a-net', options, classes: ['a', 'b', 'c'] });
    const bwn = buildModel('sketch-a-net-bwn', options);
    const report = await initFromRun(bwn, dir);
    expect(report.copied).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8']);
    expect(Array.from(bwn.getLayer('conv3').getWeights()[0]!.dataSync())).toEqual(Array.from(vanilla.getLayer('conv3').getWeights()[0]!.dataSync()));
    const xnor = buildModel('sketch-a-net-xnor', { ...options, classes: 5 });
    const r2 = await initFromRun(xnor, vanilla);
    expect(r2.copied).toContain('conv2');
    expect(r2.skipped.map((s) => s.layer)).toContain('fc8'); // 5 classes vs 3
    expect(r2.skipped.find((s) => s.layer === 'bn_conv2')?.why).toMatch(/not in the source model/);
    rmSync(dir, { recursive: true });
  });
});

describe('every variant learns', () => {
  it.each(['sketch-a-net', 'sketch-a-net-bwn', 'sketch-a-net-xnor'])('%s fits a tiny batch (loss goes down)', async (name) => {
    const model = buildModel(name, { classes: 2, inputSize: 81, width: 0.25, dropout: 0 });
    // two classes: ink in the left half or in the right half
    const x = tf.tidy(() => {
      const left = tf.concat([tf.ones([4, 81, 40, 1]), tf.zeros([4, 81, 41, 1])], 2);
      const right = tf.reverse(left, 2);
      return tf.concat([left, right], 0);
    });
    const y = tf.oneHot(tf.tensor1d([0, 0, 0, 0, 1, 1, 1, 1], 'int32'), 2);
    const optimizer = tf.train.adam(0.003);
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
    const first = loss().dataSync()[0]!;
    for (let i = 0; i < 8; i++) optimizer.minimize(loss);
    expect(loss().dataSync()[0]!).toBeLessThan(first * 0.7);
  });
});
