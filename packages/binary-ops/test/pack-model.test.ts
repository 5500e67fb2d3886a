import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D } from '../src/layers/quant-conv2d.js';
import { packModel } from '../src/inference/pack-model.js';
import { PackedConv2D } from '../src/inference/packed-conv2d.js';

/** A small Sketch-A-Net-shaped chain: float conv1, an XNOR block (BN -> sign -> conv -> pool), a BWN conv, float head. */
function buildModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [24, 24, 1], filters: 8, kernelSize: 5, strides: 2, activation: 'relu', name: 'conv1' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool1' }));
  m.add(tfl.layers.batchNormalization({ name: 'bn2' }));
  m.add(new QuantConv2D({ filters: 40, kernelSize: 3, padding: 'same', padValue: -1, inputQuantizer: 'ste-sign', kernelQuantizer: 'magnitude-aware-sign', activation: 'relu', name: 'conv2' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool2' }));
  m.add(new QuantConv2D({ filters: 16, kernelSize: 2, kernelQuantizer: 'magnitude-aware-sign', activation: 'relu', name: 'conv3' }));
  m.add(tfl.layers.flatten({ name: 'flatten' }));
  m.add(tfl.layers.dense({ units: 5, name: 'fc' }));
  // BatchNorm statistics that make folding non-trivial, negative scales included
  const bn = m.getLayer('bn2');
  const n = 8;
  const gamma = tf.tensor1d(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1) * (0.5 + i / 10)));
  const beta = tf.tensor1d(Array.from({ length: n }, (_, i) => (i - 4) / 10));
  const mean = tf.tensor1d(Array.from({ length: n }, (_, i) => i / 5));
  const variance = tf.tensor1d(Array.from({ length: n }, (_, i) => 0.5 + i / 4));
  bn.setWeights([gamma, beta, mean, variance]);
  return m;
}

describe.each(['cpu', 'wasm'])('packModel on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it('packs the binary layers, folds the BatchNorm, and predicts as the float model does', () => {
    const model = buildModel();
    const { model: packed, report } = packModel(model);
    expect(report.layers.find((l) => l.name === 'bn2')?.action).toBe('folded-into-next');
    expect(report.layers.find((l) => l.name === 'conv2')?.action).toBe('packed-xnor');
    expect(report.layers.find((l) => l.name === 'conv3')?.action).toBe('packed-bwn');
    expect(report.layers.find((l) => l.name === 'conv1')?.action).toBe('copied');
    expect(packed.layers.filter((l) => l instanceof PackedConv2D)).toHaveLength(2);
    expect(packed.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    const x = tf.randomUniform([4, 24, 24, 1], 0, 1, 'float32', 7);
    const a = model.predict(x) as tf.Tensor;
    const b = packed.predict(x) as tf.Tensor;
    expect(b.shape).toEqual(a.shape);
    const scale = tf.max(tf.abs(a)).dataSync()[0]!;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4 * Math.max(1, scale));
  });

  it('keeps a layer float, with the reason, when it cannot be packed exactly', () => {
    const m = tfl.sequential();
    m.add(new QuantConv2D({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', inputQuantizer: 'ste-sign', kernelQuantizer: 'magnitude-aware-sign', name: 'zero_padded' }));
    m.add(new QuantConv2D({ filters: 4, kernelSize: 3, kernelQuantizer: { name: 'dorefa', bits: 2 }, name: 'two_bit' }));
    m.add(new QuantConv2D({ filters: 4, kernelSize: 1, inputQuantizer: 'ste-sign', kernelQuantizer: 'magnitude-aware-sign', inputScale: 'xnor', name: 'k_scaled' }));
    const { report } = packModel(m);
    expect(report.layers).toEqual([
      { name: 'zero_padded', action: 'copied', why: expect.stringMatching(/padded with zeros/) },
      { name: 'two_bit', action: 'copied', why: expect.stringMatching(/not 1-bit/) },
      { name: 'k_scaled', action: 'copied', why: expect.stringMatching(/K input scaling/) },
    ]);
  });

  it('keeps the BatchNorm before a layer that stays float (it is folded only into a packed layer)', () => {
    const m = tfl.sequential();
    m.add(tfl.layers.batchNormalization({ inputShape: [8, 8, 3], name: 'bn' }));
    m.add(new QuantConv2D({ filters: 4, kernelSize: 3, inputQuantizer: 'ste-sign', kernelQuantizer: 'magnitude-aware-sign', inputScale: 'xnor', name: 'k_scaled' }));
    m.getLayer('bn').setWeights([tf.fill([3], 2), tf.fill([3], -0.5), tf.fill([3], 0.3), tf.fill([3], 0.8)]);
    const { model: packed, report } = packModel(m);
    expect(report.layers.map((l) => [l.name, l.action])).toEqual([['bn', 'copied'], ['k_scaled', 'copied']]);
    const x = tf.randomUniform([2, 8, 8, 3], -1, 2, 'float32', 5);
    const gap = tf.max(tf.abs(tf.sub(m.predict(x) as tf.Tensor, packed.predict(x) as tf.Tensor))).dataSync()[0]!;
    expect(gap).toBeLessThan(1e-5);
  });
});
