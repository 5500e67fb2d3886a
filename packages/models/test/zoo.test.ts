import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { QuantConv2D } from '@sketch-xnor/binary-ops';
import { buildModel, listModels, registerModel, describeModels, sketchANetGeometry, MIN_INPUT_SIZE, SKETCH_A_NET_LAYERS } from '@sketch-xnor/models';

beforeAll(async () => {
  await useBackend('cpu');
});

const names = (m: tfl.LayersModel) => m.layers.map((l) => l.name);
const kernelShape = (m: tfl.LayersModel, layer: string) => m.getLayer(layer).getWeights()[0]!.shape;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('the zoo', () => {
  it('lists its networks with a description each', () => {
    expect(listModels()).toEqual(['sketch-a-net', 'sketch-a-net-bwn', 'sketch-a-net-xnor']);
    for (const { description } of describeModels()) expect(description.length).toBeGreaterThan(20);
  });

  it('builds Sketch-A-Net exactly: 8,508,666 parameters at 225x225 and 250 classes, logits out', () => {
    const m = buildModel('sketch-a-net', { classes: 250 });
    expect(m.countParams()).toBe(8_508_666);
    expect(m.inputs[0]!.shape).toEqual([null, 225, 225, 1]);
    expect(m.outputs[0]!.shape).toEqual([null, 250]);
    expect(names(m)).toEqual(['sketch', 'conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'pool5', 'fc6', 'drop6', 'fc7', 'drop7', 'fc8', 'logits']);
    // the paper's layer table: kernels, strides and the spatial sizes 71 -> 35 -> 31 -> 15 -> 15 -> 7 -> 1
    expect(kernelShape(m, 'conv1')).toEqual([15, 15, 1, 64]);
    expect(kernelShape(m, 'conv2')).toEqual([5, 5, 64, 128]);
    expect(kernelShape(m, 'conv5')).toEqual([3, 3, 256, 256]);
    expect(kernelShape(m, 'fc6')).toEqual([7, 7, 256, 512]);
    expect(kernelShape(m, 'fc8')).toEqual([1, 1, 512, 250]);
    const sizes = ['conv1', 'pool1', 'conv2', 'pool2', 'conv5', 'pool5', 'fc6'].map((l) => (m.getLayer(l).output as tfl.SymbolicTensor).shape[1]);
    expect(sizes).toEqual([71, 35, 31, 15, 15, 7, 1]);
    expect(sketchANetGeometry(225)).toEqual({ conv1: 71, pool1: 35, conv2: 31, pool2: 15, pool5: 7 });
    m.dispose();
    // logits: no softmax, so outputs are not probabilities
    const small = buildModel('sketch-a-net', { classes: 250, inputSize: 64, width: 0.25 });
    const y = small.predict(tf.randomUniform([1, 64, 64, 1], 0, 1, 'float32', 2)) as tf.Tensor;
    expect(Math.abs(tf.sum(y).dataSync()[0]! - 1)).toBeGreaterThan(1e-3);
    expect(tf.min(y).dataSync()[0]).toBeLessThan(0);
  });

  it('BWN binarizes the weights of conv2..fc7 only, with the same parameter count', () => {
    const bwn = buildModel('sketch-a-net-bwn', { classes: 250 });
    expect(bwn.countParams()).toBe(8_508_666);
    const quantized = bwn.layers.filter((l) => l instanceof QuantConv2D) as QuantConv2D[];
    expect(quantized.map((l) => l.name)).toEqual(['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']);
    for (const l of quantized) {
      expect(l.kernelQuantizer?.name).toBe('magnitude-aware-sign');
      expect(l.inputQuantizer).toBeNull();
    }
    expect(bwn.getLayer('conv1')).not.toBeInstanceOf(QuantConv2D);
    expect(bwn.getLayer('fc8')).not.toBeInstanceOf(QuantConv2D);
    expect(names(bwn)).toContain('drop6');
    bwn.dispose();
  });

  it('XNOR binarizes weights and inputs of conv2..fc7 in XNOR-Net block order, padding with -1', () => {
    const xnor = buildModel('sketch-a-net-xnor', { classes: 10, inputSize: 128, width: 0.25 });
    expect(names(xnor)).toEqual([
      'sketch', 'conv1', 'pool1',
      'bn_conv2', 'conv2', 'pool2',
      'bn_conv3', 'conv3', 'bn_conv4', 'conv4', 'bn_conv5', 'conv5', 'pool5',
      'bn_fc6', 'fc6', 'bn_fc7', 'fc7',
      'bn_fc8', 'relu_fc8', 'fc8', 'logits',
    ]); // prettier-ignore
    for (const layer of ['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']) {
      const l = xnor.getLayer(layer) as QuantConv2D;
      expect(l.inputQuantizer?.name).toBe('xnor-input');
      expect(l.kernelQuantizer?.name).toBe('magnitude-aware-sign');
      expect(l.padValue).toBe(['conv3', 'conv4', 'conv5'].includes(layer) ? -1 : null);
    }
    // the binary conv feeds the next BatchNorm raw: a ReLU would leave nothing but +1 after the sign
    expect((xnor.getLayer('conv3') as QuantConv2D).getConfig().activation).toBe('linear');
    expect(xnor.getLayer('bn_conv3').getConfig().momentum).toBe(0.9);
    xnor.dispose();
  });

  it.each([
    [225, 0.25, 7],
    [128, 0.5, 2],
    [112, 0.25, 2],
    [96, 0.25, 1],
    [64, 0.25, 1],
    [MIN_INPUT_SIZE, 0.125, 1],
  ])('recomputes spatial sizes: input %i, width %f -> fc6 kernel %i', (inputSize, width, k) => {
    expect(sketchANetGeometry(inputSize).pool5).toBe(k);
    for (const name of listModels()) {
      const m = buildModel(name, { classes: 5, inputSize, width, channels: 3 });
      expect(kernelShape(m, 'fc6')).toEqual([k, k, Math.round(256 * width), Math.round(512 * width)]);
      expect(kernelShape(m, 'conv1')).toEqual([15, 15, 3, Math.round(64 * width)]);
      expect((m.getLayer('fc6').output as tfl.SymbolicTensor).shape).toEqual([null, 1, 1, Math.round(512 * width)]);
      const y = m.predict(tf.zeros([2, inputSize, inputSize, 3])) as tf.Tensor;
      expect(y.shape).toEqual([2, 5]);
      m.dispose();
    }
  });

  it('errors clearly on unknown models, bad options, bad quantizers and too-small inputs', () => {
    expect(() => buildModel('alexnet')).toThrow(/Unknown model "alexnet"\. Known models: sketch-a-net, sketch-a-net-bwn, sketch-a-net-xnor/);
    expect(() => buildModel('sketch-a-net', { clases: 3 })).toThrow(/unknown option\(s\) clases for sketch-a-net; it takes classes, inputSize/);
    expect(MIN_INPUT_SIZE).toBe(45);
    expect(() => buildModel('sketch-a-net', { inputSize: 44 })).toThrow(/inputSize 44 is too small for Sketch-A-Net: the smallest input that fits is 45/);
    expect(() => buildModel('sketch-a-net', { width: -1 })).toThrow(/width must be a number in \(0, 8\], got -1/);
    expect(() => buildModel('sketch-a-net', { classes: 2.5 })).toThrow(/classes must be a positive integer, got 2\.5/);
    expect(() => buildModel('sketch-a-net-bwn', { kernelQuantizer: 'sgn' })).toThrow(/kernelQuantizer: .*Unknown quantizer "sgn"\. Known quantizers: .*dorefa/);
  });

  it('initializes deterministically from the seed, and conv3 alike in every variant', () => {
    const options = { classes: 10, inputSize: 64, width: 0.25 };
    const a = buildModel('sketch-a-net', { ...options, seed: 3 });
    const b = buildModel('sketch-a-net', { ...options, seed: 3 });
    const c = buildModel('sketch-a-net', { ...options, seed: 4 });
    const xnor = buildModel('sketch-a-net-xnor', { ...options, seed: 3 });
    for (const layer of SKETCH_A_NET_LAYERS) {
      const w = a.getLayer(layer).getWeights()[0]!;
      expect(values(b.getLayer(layer).getWeights()[0]!), layer).toEqual(values(w));
      expect(values(c.getLayer(layer).getWeights()[0]!), layer).not.toEqual(values(w));
      expect(values(xnor.getLayer(layer).getWeights()[0]!), layer).toEqual(values(w));
    }
    // layers of one model differ from each other (one seed per layer)
    expect(values(a.getLayer('conv4').getWeights()[0]!)).not.toEqual(values(a.getLayer('conv3').getWeights()[0]!));
  });

  it('initializes with He-normal statistics: mean 0, std sqrt(2 / fan-in), truncated at 2 sigma', () => {
    const m = buildModel('sketch-a-net', { classes: 10, inputSize: 128, width: 0.5, seed: 5 });
    for (const [layer, fanIn] of [['conv1', 15 * 15 * 1], ['conv4', 3 * 3 * 128], ['fc6', 2 * 2 * 128]] as const) {
      const w = m.getLayer(layer).getWeights()[0]!;
      const he = Math.sqrt(2 / fanIn);
      const { mean, variance } = tf.moments(w);
      const n = w.size;
      expect(Math.abs(mean.dataSync()[0]!) / he, layer).toBeLessThan(5 / Math.sqrt(n));
      expect(Math.sqrt(variance.dataSync()[0]!) / he, layer).toBeCloseTo(1, 1);
      expect(Math.abs(Math.sqrt(variance.dataSync()[0]!) / he - 1), layer).toBeLessThan(8 / Math.sqrt(n) + 0.01);
      expect(tf.max(tf.abs(w)).dataSync()[0]! / he, layer).toBeLessThanOrEqual(2 / 0.8796256610342398 + 1e-4);
      expect(values(m.getLayer(layer).getWeights()[1]!).every((v) => v === 0), `${layer} bias`).toBe(true);
    }
    m.dispose();
  });

  it('builds new variants by quantizer name; null makes a layer float again', () => {
    const dorefa = buildModel('sketch-a-net', { classes: 3, inputSize: 64, width: 0.25, kernelQuantizer: { name: 'dorefa', bits: 2 } });
    const conv3 = dorefa.getLayer('conv3') as QuantConv2D;
    expect(conv3).toBeInstanceOf(QuantConv2D);
    expect(conv3.kernelQuantizer?.getConfig()).toMatchObject({ name: 'dorefa', bits: 2 });
    expect(conv3.inputQuantizer).toBeNull();
    const floatInputs = buildModel('sketch-a-net-xnor', { classes: 3, inputSize: 64, width: 0.25, inputQuantizer: null });
    expect((floatInputs.getLayer('conv3') as QuantConv2D).inputQuantizer).toBeNull();
    expect((floatInputs.getLayer('conv3') as QuantConv2D).padValue).toBeNull();
    const approx = buildModel({ name: 'sketch-a-net-xnor', classes: 3, inputSize: 64, width: 0.25, inputQuantizer: 'approx-sign' });
    expect((approx.getLayer('fc7') as QuantConv2D).inputQuantizer?.name).toBe('approx-sign');
    const float = buildModel('sketch-a-net-bwn', { classes: 3, inputSize: 64, width: 0.25, kernelQuantizer: null });
    expect(float.layers.some((l) => l instanceof QuantConv2D)).toBe(false);
  });

  it('adds BatchNorm between conv2..fc7 and their ReLUs with batchNorm: true (float and BWN; XNOR keeps its own blocks)', () => {
    const names = (m: tfl.LayersModel) => m.layers.map((l) => l.name);
    for (const name of ['sketch-a-net', 'sketch-a-net-bwn']) {
      const plain = buildModel(name, { classes: 3, inputSize: 64, width: 0.25 });
      const normalized = buildModel(name, { classes: 3, inputSize: 64, width: 0.25, batchNorm: true });
      for (const layer of ['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']) {
        const at = names(normalized).indexOf(layer);
        expect(names(normalized).slice(at, at + 3), name).toEqual([layer, `${layer}_bn`, `${layer}_relu`]);
        expect(normalized.getLayer(layer).getConfig()['activation'], name).toBe('linear');
      }
      expect(names(normalized)).not.toContain('conv1_bn');
      // the same weights by layer name, plus 4 BatchNorm vectors per normalized layer
      expect(normalized.countParams() - plain.countParams()).toBe(4 * [32, 64, 64, 64, 128, 128].reduce((a, b) => a + b, 0));
    }
    const xnor = buildModel('sketch-a-net-xnor', { classes: 3, inputSize: 64, width: 0.25, batchNorm: true });
    expect(names(xnor).some((n) => n.endsWith('_bn'))).toBe(false);
    expect(() => buildModel('sketch-a-net', { classes: 3, inputSize: 64, batchNorm: 'yes' })).toThrow(/batchNorm must be true or false, got "yes"/);
  });

  it("scales binary-input layers by XNOR-Net's K when asked (inputScale 'xnor'), and only those", () => {
    const scaled = buildModel('sketch-a-net-xnor', { classes: 3, inputSize: 64, width: 0.25, inputScale: 'xnor' });
    for (const layer of ['conv2', 'conv3', 'fc7']) expect((scaled.getLayer(layer) as QuantConv2D).inputScale, layer).toBe('xnor');
    const plain = buildModel('sketch-a-net-xnor', { classes: 3, inputSize: 64, width: 0.25 });
    expect((plain.getLayer('conv3') as QuantConv2D).inputScale).toBeNull();
    const bwn = buildModel('sketch-a-net-bwn', { classes: 3, inputSize: 64, width: 0.25, inputScale: 'xnor' });
    expect((bwn.getLayer('conv3') as QuantConv2D).inputScale).toBeNull(); // float inputs have no K
    const x = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3);
    const differs = tf.max(tf.abs(tf.sub(scaled.predict(x) as tf.Tensor, plain.predict(x) as tf.Tensor))).dataSync()[0]!;
    expect(differs).toBeGreaterThan(1e-6);
    expect(() => buildModel('sketch-a-net-xnor', { classes: 3, inputSize: 64, inputScale: 'k' })).toThrow(/inputScale must be 'xnor' or null, got "k"/);
  });

  it('takes new networks through registerModel', () => {
    registerModel({
      name: 'tiny-test-net',
      create: (options) => ({
        name: 'tiny-test-net',
        options,
        build: () => tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: Number(options.classes ?? 2) })] }),
        getConfig: () => ({ name: 'tiny-test-net', ...options }),
      }),
    });
    expect(listModels()).toContain('tiny-test-net');
    expect(buildModel('tiny-test-net', { classes: 7 }).outputs[0]!.shape).toEqual([null, 7]);
    expect(() => registerModel({ name: 'sketch-a-net', create: () => { throw new Error('unused'); } })).toThrow(/already registered/);
  });
});
