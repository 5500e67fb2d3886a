// The one Sketch-A-Net builder behind the three zoo entries (Yu et al. 2015/2017):
//   conv1 64 15x15/3 valid, ReLU, maxpool 3/2 | conv2 128 5x5 valid, ReLU, maxpool 3/2 | conv3-5 256 3x3 same, ReLU |
//   maxpool 3/2 | fc6 512 as a conv over what is left, ReLU, dropout | fc7 512 1x1, ReLU, dropout | fc8 classes 1x1 |
//   flatten to logits (the softmax belongs to the loss, where it is computed stably).
// Binary variants keep conv1 and fc8 float, as XNOR-Net does. The XNOR variant uses XNOR-Net's block order,
// BatchNorm -> binary activation -> binary conv -> pool, and pads binary inputs with -1 so padding adds no third value.
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D, type QuantizerSpec } from '@sketch-xnor/binary-ops';
import type { PluginFactory } from '@sketch-xnor/registry';
import type { ModelSpec } from '../model-registry.js';
import { poolPaddingFor, readSketchANetOptions, sketchANetGeometry, type SketchANetOptions } from './options.js';

export type Variant = 'float' | 'bwn' | 'xnor';

/** The weight layers, by their stable names (weights are copied across variants by these names). */
export const SKETCH_A_NET_LAYERS = ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8'] as const;

/** Each variant's quantizers for conv2..fc7, before the user's overrides. */
const VARIANT_QUANTIZERS: Record<Variant, { kernel: QuantizerSpec | null; input: QuantizerSpec | null }> = {
  float: { kernel: null, input: null },
  bwn: { kernel: 'magnitude-aware-sign', input: null },
  xnor: { kernel: 'magnitude-aware-sign', input: 'xnor-input' },
};

/** Latent weights of quantized layers are clipped to the range where the straight-through gradient flows. */
const LATENT_CLIP: [number, number] = [-1, 1];

/**
 * Moving-average momentum of the XNOR blocks' BatchNorms: 0.9, Torch's 0.1 as XNOR-Net trained with. With tfjs's
 * 0.99 the inference statistics trail the quickly changing binary activations by hundreds of steps.
 */
const BN_MOMENTUM = 0.9;

/** The standard deviation of a unit normal truncated at +-2 sigma. */
const TRUNCATED_NORMAL_STD = 0.8796256610342398;

/**
 * He-normal (fan-in, gain 2) whose weights have a standard deviation of exactly sqrt(2 / fanIn): tfjs-layers draws
 * from a normal truncated at +-2 sigma without correcting for it (12% short per layer, about a third of the signal
 * lost over Sketch-A-Net's 8 layers), so the scale is raised as Keras does. A plain VarianceScaling, so it serializes.
 */
export function heNormal(seed: number): ReturnType<typeof tfl.initializers.varianceScaling> {
  return tfl.initializers.varianceScaling({ scale: 2 / TRUNCATED_NORMAL_STD ** 2, mode: 'fanIn', distribution: 'normal', seed });
}

/** One seed per layer, from the model seed and the layer's place: conv3 starts alike in every variant. */
const layerSeed = (seed: number, layer: (typeof SKETCH_A_NET_LAYERS)[number]) => seed * 100 + SKETCH_A_NET_LAYERS.indexOf(layer) + 1;

export function buildSketchANet(name: string, variant: Variant, o: SketchANetOptions): tfl.LayersModel {
  const geometry = sketchANetGeometry(o.inputSize);
  const channels = (n: number) => Math.max(1, Math.round(n * o.width));
  const kernelQuantizer = o.kernelQuantizer === undefined ? VARIANT_QUANTIZERS[variant].kernel : o.kernelQuantizer;
  const inputQuantizer = o.inputQuantizer === undefined ? VARIANT_QUANTIZERS[variant].input : o.inputQuantizer;
  const quantized = kernelQuantizer !== null || inputQuantizer !== null;
  const xnorBlocks = variant === 'xnor';
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;
  const dropout = (layer: string, x: tfl.SymbolicTensor) =>
    // unseeded on purpose: a seeded tfjs dropout draws the same mask at every step (the trainer seeds the steps)
    xnorBlocks || o.dropout === 0 ? x : apply(tfl.layers.dropout({ name: layer, rate: o.dropout }), x);

  /** conv2..fc7: float conv + ReLU, a quantized conv + ReLU (BWN), or BatchNorm -> binary conv (XNOR block). */
  const middle = (layer: (typeof SKETCH_A_NET_LAYERS)[number], filters: number, kernelSize: number, padding: 'same' | 'valid', x: tfl.SymbolicTensor) => {
    const common = { name: layer, filters, kernelSize, padding, kernelInitializer: heNormal(layerSeed(o.seed, layer)) };
    const normalized = o.batchNorm && !xnorBlocks;
    // conv -> BatchNorm -> ReLU: the conv itself stays linear (its bias is redundant before BatchNorm but kept, so
    // weights copy by name from and to runs without BatchNorm)
    const rectify = (y: tfl.SymbolicTensor) =>
      normalized ? apply(tfl.layers.reLU({ name: `${layer}_relu` }), apply(tfl.layers.batchNormalization({ name: `${layer}_bn`, momentum: BN_MOMENTUM }), y)) : y;
    const activation = normalized ? 'linear' : 'relu';
    if (!quantized) return rectify(apply(tfl.layers.conv2d({ ...common, activation }), x));
    if (xnorBlocks) x = apply(tfl.layers.batchNormalization({ name: `bn_${layer}`, momentum: BN_MOMENTUM }), x);
    const conv = new QuantConv2D({
      ...common,
      // XNOR-Net's binary conv feeds the next BatchNorm and sign directly; a ReLU would leave only +1 after the sign
      activation: xnorBlocks ? 'linear' : activation,
      kernelQuantizer,
      inputQuantizer,
      // binary inputs padded with zeros would see a third value; -1 keeps them binary
      padValue: inputQuantizer !== null && padding === 'same' ? -1 : null,
      kernelClip: kernelQuantizer !== null ? LATENT_CLIP : null,
      inputScale: inputQuantizer !== null ? (o.inputScale ?? null) : null,
    });
    return rectify(apply(conv, x));
  };
  const pool = (layer: string, x: tfl.SymbolicTensor) =>
    apply(tfl.layers.maxPooling2d({ name: layer, poolSize: 3, strides: 2, padding: poolPaddingFor(x.shape[1]!) }), x);

  const input = tfl.input({ shape: [o.inputSize, o.inputSize, o.channels], name: 'sketch' });
  const conv1 = tfl.layers.conv2d({
    name: 'conv1',
    filters: channels(64),
    kernelSize: 15,
    strides: 3,
    padding: 'valid',
    activation: 'relu',
    kernelInitializer: heNormal(layerSeed(o.seed, 'conv1')),
  });
  let y = pool('pool1', apply(conv1, input));
  y = pool('pool2', middle('conv2', channels(128), 5, 'valid', y));
  y = middle('conv3', channels(256), 3, 'same', y);
  y = middle('conv4', channels(256), 3, 'same', y);
  y = pool('pool5', middle('conv5', channels(256), 3, 'same', y));
  y = dropout('drop6', middle('fc6', channels(512), geometry.pool5, 'valid', y));
  y = dropout('drop7', middle('fc7', channels(512), 1, 'valid', y));
  if (xnorBlocks) {
    // as in XNOR-Net: the float classifier reads normalized, rectified features, not raw binary-conv sums
    y = apply(tfl.layers.batchNormalization({ name: 'bn_fc8', momentum: BN_MOMENTUM }), y);
    y = apply(tfl.layers.reLU({ name: 'relu_fc8' }), y);
  }
  y = apply(tfl.layers.conv2d({ name: 'fc8', filters: o.classes, kernelSize: 1, kernelInitializer: heNormal(layerSeed(o.seed, 'fc8')) }), y);
  y = apply(tfl.layers.flatten({ name: 'logits' }), y);
  return tfl.model({ inputs: input, outputs: y, name });
}

/** The zoo entry of one Sketch-A-Net variant. */
export function sketchANetFactory(name: string, variant: Variant, description: string): PluginFactory<ModelSpec> {
  return {
    name,
    description,
    create(raw) {
      const options = readSketchANetOptions(name, raw);
      return {
        name,
        options: { ...options },
        build: () => buildSketchANet(name, variant, options),
        getConfig: () => ({ name, ...options }),
      };
    },
  };
}
