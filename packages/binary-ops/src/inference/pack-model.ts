// Turns a trained model with quantized layers into its 1-bit inference form: every QuantConv2D whose kernel
// quantizer is 1-bit becomes a PackedConv2D (sign bits + one scale per filter), in 'xnor' mode when its input is
// binarized too and 'bwn' mode otherwise; a BatchNorm right before an XNOR layer is folded into the layer's input
// thresholds. With `sparseFirstLayer`, a float Conv2D reading the sketch itself becomes a SparseConv2D (same
// weights; it skips the blank paper). Other layers are copied as they are. Works on linear chains of layers (the
// Sketch-A-Net zoo).
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D } from '../layers/quant-conv2d.js';
import type { Quantizer } from '../quantizer.js';
import { packKernel, foldBatchNormIntoSign } from '../xnor/xnor-conv.js';
import { PackedConv2D, packedWordsPerFilter } from './packed-conv2d.js';
import { SparseConv2D } from './sparse-conv2d.js';

export interface PackReport {
  /** layer name -> what happened to it. */
  layers: Array<{ name: string; action: 'packed-xnor' | 'packed-bwn' | 'folded-into-next' | 'sparse-float' | 'copied'; why?: string }>;
}

export interface PackOptions {
  /**
   * Run a float Conv2D that reads the model's input (Sketch-A-Net's conv1) as a SparseConv2D: several times faster
   * on rendered sketches, mostly blank paper; the dense convolution on dense inputs. Default false.
   */
  sparseFirstLayer?: boolean;
}

/** Whether a quantizer maps every value to exactly +1 or -1 (sign(0) = +1): checked on probe values, not trusted by name. */
function isPlainSign(q: Quantizer | null): boolean {
  if (!q || q.precision !== 1) return false;
  return tf.tidy(() => {
    const probe = tf.tensor1d([-2, -1, -0.5, -1e-6, 0, 1e-6, 0.5, 1, 2]);
    const got = Array.from(q.apply(probe).dataSync());
    return got.every((v, i) => v === ([-1, -1, -1, -1, 1, 1, 1, 1, 1] as const)[i]);
  });
}

/**
 * The per-filter scale and sign bits of a 1-bit quantized kernel, read from the quantizer's own output (so any
 * registered 1-bit scheme packs), or null when the quantized kernel is not +-alpha per filter.
 */
function binaryKernel(layer: QuantConv2D): { alpha: Float32Array; signs: Float32Array } | null {
  const q = layer.kernelQuantizer;
  if (!q || q.precision !== 1) return null;
  const wq = tf.tidy(() => q.apply(layer.getWeights()[0]!));
  const values = wq.dataSync() as Float32Array;
  const out = wq.shape[wq.rank - 1]!;
  wq.dispose();
  const alpha = new Float32Array(out);
  for (let i = 0; i < values.length; i++) alpha[i % out] = Math.max(alpha[i % out]!, Math.abs(values[i]!));
  for (let i = 0; i < values.length; i++) {
    const a = alpha[i % out]!;
    if (Math.abs(Math.abs(values[i]!) - a) > 1e-6 * Math.max(1, a)) return null; // not one magnitude per filter
  }
  return { alpha, signs: values };
}

/** tfjs-layers configs hold sizes as a number or a pair. */
function pair(value: unknown): [number, number] {
  const v = Array.isArray(value) ? value : [value, value];
  return [Number(v[0]), Number(v[1] ?? v[0])];
}

function copyLayer(layer: tfl.layers.Layer): tfl.layers.Layer {
  const config = { ...layer.getConfig() };
  delete config.batchInputShape;
  delete config.inputShape;
  const entry = serialization.SerializationMap.getMap().classNameMap[layer.getClassName()];
  if (!entry) throw new Error(`packModel: layer class ${layer.getClassName()} of "${layer.name}" is not registered`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as unknown as tfl.layers.Layer;
}

/** Builds the packed model (new layers, new weights); the input model is left untouched. */
export function packModel(model: tfl.LayersModel, options: PackOptions = {}): { model: tfl.LayersModel; report: PackReport } {
  const report: PackReport = { layers: [] };
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const input = tfl.input({ shape: model.inputs[0]!.shape.slice(1) as number[], name: model.inputs[0]!.name?.split(':')[0] });
  let y = input as tfl.SymbolicTensor;
  const weightQueue: Array<{ layer: tfl.layers.Layer; weights: tf.Tensor[] }> = [];

  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const next = layers[i + 1];
    // A BatchNorm feeding an XNOR layer is folded into that layer's thresholds.
    // (only when that layer packs: a layer kept float needs its BatchNorm kept too)
    if (layer.getClassName() === 'BatchNormalization' && next instanceof QuantConv2D && isPlainSign(next.inputQuantizer) && whyNotPacked(next) === undefined) {
      report.layers.push({ name: layer.name, action: 'folded-into-next' });
      continue;
    }
    if (layer instanceof QuantConv2D) {
      const packed = packQuantConv(layer, layers[i - 1], report);
      if (packed) {
        y = packed.layer.apply(y) as tfl.SymbolicTensor;
        weightQueue.push({ layer: packed.layer, weights: packed.weights });
        if (packed.activation) y = packed.activation.apply(y) as tfl.SymbolicTensor;
        continue;
      }
    }
    if (i === 0 && options.sparseFirstLayer && layer.getClassName() === 'Conv2D') {
      const sparse = sparseFloatConv(layer, report);
      if (sparse) {
        y = sparse.apply(y) as tfl.SymbolicTensor;
        weightQueue.push({ layer: sparse, weights: layer.getWeights() });
        continue;
      }
    }
    const copy = copyLayer(layer);
    y = copy.apply(y) as tfl.SymbolicTensor;
    weightQueue.push({ layer: copy, weights: layer.getWeights() });
    if (!report.layers.some((r) => r.name === layer.name)) report.layers.push({ name: layer.name, action: 'copied' });
  }
  const packedModel = tfl.model({ inputs: input, outputs: y, name: model.name });
  for (const { layer, weights } of weightQueue) if (weights.length) layer.setWeights(weights);
  return { model: packedModel, report };
}

/** The SparseConv2D form of a float Conv2D, or null (with the reason in the report) when it has no such form. */
function sparseFloatConv(layer: tfl.layers.Layer, report: PackReport): SparseConv2D | null {
  const config = layer.getConfig();
  const activation = (config.activation as string | undefined) ?? 'linear';
  const why =
    pair(config.dilationRate ?? 1).some((d) => d !== 1) ? 'dilated convolutions have no sparse form'
    : config.dataFormat === 'channelsFirst' ? 'channels-first data has no sparse form'
    : activation !== 'relu' && activation !== 'linear' ? `activation ${activation} has no sparse form (relu and linear do)`
    : undefined;
  if (why) {
    report.layers.push({ name: layer.name, action: 'copied', why });
    return null;
  }
  report.layers.push({ name: layer.name, action: 'sparse-float' });
  return new SparseConv2D({
    name: layer.name,
    filters: config.filters as number,
    kernelSize: pair(config.kernelSize),
    strides: pair(config.strides ?? 1),
    padding: config.padding === 'same' ? 'same' : 'valid',
    activation: activation as 'relu' | 'linear',
    useBias: config.useBias !== false,
  });
}

/** Why a QuantConv2D stays a float layer in the bundle, or undefined when it packs. */
function whyNotPacked(layer: QuantConv2D): string | undefined {
  if (!binaryKernel(layer)) return 'kernel quantizer is not 1-bit with one scale per filter';
  const config = layer.getConfig();
  if (pair(config.dilationRate ?? 1).some((d) => d !== 1)) return 'dilated convolutions are not packed';
  if (config.inputScale === 'xnor') return "XNOR-Net's K input scaling is not packed";
  const xnor = isPlainSign(layer.inputQuantizer);
  if (layer.inputQuantizer && !xnor) return 'input quantizer is not a plain sign';
  if (xnor && config.padding === 'same' && layer.padValue !== 1 && layer.padValue !== -1) {
    return 'binary input padded with zeros: a third value the XNOR kernel cannot represent';
  }
  return undefined;
}

function packQuantConv(
  layer: QuantConv2D,
  previous: tfl.layers.Layer | undefined,
  report: PackReport,
): { layer: PackedConv2D; weights: tf.Tensor[]; activation?: tfl.layers.Layer } | null {
  const why = whyNotPacked(layer);
  if (why !== undefined) {
    report.layers.push({ name: layer.name, action: 'copied', why });
    return null;
  }
  const kernel = binaryKernel(layer)!;
  const config = layer.getConfig();
  const xnor = isPlainSign(layer.inputQuantizer);
  const padding = config.padding === 'same' ? 'same' : 'valid';
  const useBias = config.useBias !== false;
  const [kh, kw] = pair(config.kernelSize);
  const kernelShape = layer.getWeights()[0]!.shape;
  const inChannels = kernelShape[2]!;
  const filters = kernelShape[3]!;
  const fold = xnor && previous?.getClassName() === 'BatchNormalization' ? previous : undefined;
  const packedLayer = new PackedConv2D({
    name: layer.name,
    filters,
    kernelSize: [kh, kw],
    inChannels,
    strides: pair(config.strides ?? 1),
    padding,
    padValue: (layer.padValue ?? 1) as 1 | -1,
    mode: xnor ? 'xnor' : 'bwn',
    useBias,
    foldedBatchNorm: Boolean(fold),
  });
  const packedKernel = packKernel(kernel.signs, kh, kw, inChannels, filters);
  const weights: tf.Tensor[] = [
    tf.tensor2d(new Int32Array(packedKernel.rows.bits.buffer), [filters, packedWordsPerFilter(kh, kw, inChannels)], 'int32'),
    tf.tensor1d(kernel.alpha),
  ];
  if (useBias) weights.push(layer.getWeights()[1]!);
  if (fold) weights.push(...foldedThresholds(fold));
  report.layers.push({ name: layer.name, action: xnor ? 'packed-xnor' : 'packed-bwn' });
  const activationName = (config.activation as string | undefined) ?? 'linear';
  const activation = activationName === 'linear' ? undefined : tfl.layers.activation({ activation: activationName as 'relu', name: `${layer.name}_activation` });
  return { layer: packedLayer, weights, activation };
}

function foldedThresholds(bn: tfl.layers.Layer): tf.Tensor[] {
  const config = bn.getConfig();
  const epsilon = (config.epsilon as number | undefined) ?? 1e-3;
  const scale = config.scale !== false;
  const center = config.center !== false;
  const weights = bn.getWeights();
  let k = 0;
  const gamma = scale ? weights[k++]!.dataSync() : undefined;
  const beta = center ? weights[k++]!.dataSync() : undefined;
  const mean = weights[k++]!.dataSync();
  const variance = weights[k++]!.dataSync();
  const n = mean.length;
  const fold = foldBatchNormIntoSign(gamma ?? new Float32Array(n).fill(1), beta ?? new Float32Array(n), mean, variance, epsilon);
  return [tf.tensor1d(fold.threshold), tf.tensor1d(Int32Array.from(fold.negate), 'int32')];
}
