// Reading a tfjs-layers model's structure: which layers are convolutions, which layer holds each
// convolution's activation, which layers binarize, and sub-models that expose inner tensors.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { HwcImage } from './raster.js';

export type Layer = tfl.LayersModel['layers'][number];
type SymbolicTensor = tfl.SymbolicTensor;

const convClass = /Conv/;
// Layers that act per element (or per channel) and keep the map's shape: the chain after a convolution
// up to its nonlinearity. Custom binary activations are recognized by name.
const elementwiseClass = /^(BatchNormalization|Activation|ReLU|LeakyReLU|PReLU|ELU|ThresholdedReLU|Dropout|SpatialDropout2D)$|Activation|Sign|Binar/;

function soleInboundLayer(layer: Layer): Layer | undefined {
  const nodes = layer.inboundNodes;
  if (nodes.length !== 1 || nodes[0]!.inboundLayers.length !== 1) return undefined;
  return nodes[0]!.inboundLayers[0];
}

export interface ConvActivationSite {
  /** The convolution. */
  conv: Layer;
  /** The last layer of the per-element chain after it (BatchNorm, ReLU, a binary activation), or the conv itself. */
  activation: Layer;
}

/** Every convolution of the model in order, each with the layer whose output is its activation map. */
export function convActivationSites(model: tfl.LayersModel): ConvActivationSite[] {
  const layers = model.layers;
  const sites: ConvActivationSite[] = [];
  layers.forEach((layer, index) => {
    if (!convClass.test(layer.getClassName())) return;
    let activation = layer;
    for (let next = index + 1; next < layers.length; next++) {
      const candidate = layers[next]!;
      if (!elementwiseClass.test(candidate.getClassName()) || soleInboundLayer(candidate) !== activation) break;
      activation = candidate;
    }
    sites.push({ conv: layer, activation });
  });
  return sites;
}

function configOf(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** True when the layer's config names a kernel quantizer (QuantConv2D/QuantDense of @sketch-xnor/binary-ops). */
export function hasBinarizedKernel(layer: Layer): boolean {
  const quantizer = configOf(layer)['kernelQuantizer'];
  return quantizer !== undefined && quantizer !== null;
}

/** True when the layer binarizes its input (an XNOR layer). */
export function hasBinarizedInput(layer: Layer): boolean {
  const quantizer = configOf(layer)['inputQuantizer'];
  return quantizer !== undefined && quantizer !== null;
}

/** The model's single input shape as [height, width, channels]. */
export function inputShapeOf(model: tfl.LayersModel): [number, number, number] {
  const shape = model.inputs[0]?.shape;
  if (model.inputs.length !== 1 || !shape || shape.length !== 4) {
    throw new Error(`viz expects a model with one image input [batch, height, width, channels], got ${JSON.stringify(model.inputs.map((i) => i.shape))}`);
  }
  return [shape[1] ?? -1, shape[2] ?? -1, shape[3] ?? -1];
}

/** A batch of one, after checking that the image fits the model's input. */
export function imageTensor(model: tfl.LayersModel, image: HwcImage): tf.Tensor4D {
  const [height, width, channels] = inputShapeOf(model);
  const fits = (expected: number, actual: number) => expected === -1 || expected === actual;
  if (!fits(height, image.height) || !fits(width, image.width) || !fits(channels, image.channels)) {
    throw new Error(
      `image is ${image.height}x${image.width}x${image.channels} but model "${model.name}" takes ${height}x${width}x${channels}; ` +
        'resize it first (e.g. prepareTestViews of @sketch-xnor/data, or fitImageToModel)',
    );
  }
  if (image.data.length !== image.height * image.width * image.channels) {
    throw new Error(`image data has ${image.data.length} values, expected ${image.height}*${image.width}*${image.channels}`);
  }
  return tf.tensor4d(image.data, [1, image.height, image.width, image.channels]);
}

/** Resizes (bilinear) and adapts the channel count (repeat or average) so the image fits the model. */
export function fitImageToModel(model: tfl.LayersModel, image: HwcImage): HwcImage {
  const [height, width, channels] = inputShapeOf(model);
  return tf.tidy(() => {
    let x: tf.Tensor3D = tf.tensor3d(image.data, [image.height, image.width, image.channels]);
    if (height > 0 && width > 0 && (height !== image.height || width !== image.width)) x = tf.image.resizeBilinear(x, [height, width], true);
    if (channels > 0 && channels !== image.channels) {
      const gray = tf.mean(x, -1, true) as tf.Tensor3D;
      x = channels === 1 ? gray : tf.tile(gray, [1, 1, channels]);
    }
    return { height: x.shape[0], width: x.shape[1], channels: x.shape[2], data: x.dataSync() as Float32Array };
  });
}

/** A model from the same input to the given inner tensors (shares weights with `model`). */
export function innerModel(model: tfl.LayersModel, outputs: SymbolicTensor[]): tfl.LayersModel {
  return tfl.model({ inputs: model.inputs, outputs });
}

export function layerOutput(layer: Layer): SymbolicTensor {
  const output = layer.output;
  if (Array.isArray(output)) throw new Error(`layer "${layer.name}" has several outputs; viz needs one`);
  return output;
}

export function layerInput(layer: Layer): SymbolicTensor {
  const input = layer.input;
  if (Array.isArray(input)) throw new Error(`layer "${layer.name}" has several inputs; viz needs one`);
  return input;
}

export function findLayer(model: tfl.LayersModel, name: string): Layer {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer) throw new Error(`model "${model.name}" has no layer "${name}"; layers: ${model.layers.map((l) => l.name).join(', ')}`);
  return layer;
}

/**
 * The tensor whose entries are class scores: the input of a final softmax layer, or, when the softmax is
 * fused into the last Dense/Conv layer, that layer's output (probabilities, which the caller logs).
 */
export function classScoreSource(model: tfl.LayersModel): { tensor: SymbolicTensor; isProbability: boolean } {
  const last = model.layers[model.layers.length - 1]!;
  const config = configOf(last);
  const className = last.getClassName();
  if (className === 'Softmax' || (className === 'Activation' && config['activation'] === 'softmax')) {
    return { tensor: layerInput(last), isProbability: false };
  }
  return { tensor: layerOutput(last), isProbability: config['activation'] === 'softmax' };
}
