// The one Sketch-A-Net builder behind the three zoo entries (Yu et al. 2015/2017):
//   conv1 64 15x15/3 valid, ReLU, maxpool 3/2 | conv2 128 5x5 valid, ReLU, maxpool 3/2 | conv3-5 256 3x3 same, ReLU |
//   maxpool 3/2 | fc6 512 as a conv over what is left, ReLU, dropout | fc7 512 1x1, ReLU, dropout | fc8 classes 1x1 | logits.
// Binary variants keep conv1 and fc8 float, as XNOR-Net does. The XNOR variant uses XNOR-Net's block order,
// BatchNorm -> binary activation -> binary conv -> pool, and pads binary inputs with -1 so padding adds no third value.
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D, type QuantizerSpec } from '@sketch-xnor/binary-ops';
import type { PluginFactory } from '@sketch-xnor/registry';
import type { ModelSpec } from '../model-registry.js';
import { readSketchANetOptions, sketchANetGeometry, type SketchANetOptions } from './options.js';

export type Variant = 'float' | 'bwn' | 'xnor';

/** Latent weights of binarized layers are clipped to the range where the straight-through gradient flows. */
const LATENT_CLIP: [number, number] = [-1, 1];

export function buildSketchANet(name: string, variant: Variant, o: SketchANetOptions): tfl.LayersModel {
  const g = sketchANetGeometry(o.inputSize);
  const c = (n: number) => Math.max(1, Math.round(n * o.width));
  let seed = o.seed * 1000;
  const init = () => tfl.initializers.heNormal({ seed: seed++ });
  const binary = variant !== 'float';
  const kernelQuantizer: QuantizerSpec = o.kernelQuantizer ?? 'magnitude-aware-sign';
  const inputQuantizer: QuantizerSpec | null = variant === 'xnor' ? (o.inputQuantizer ?? 'ste-sign') : (o.inputQuantizer ?? null);

  const input = tfl.input({ shape: [o.inputSize, o.inputSize, o.channels], name: 'sketch' });
  let y: tfl.SymbolicTensor = tfl.layers
    .conv2d({ name: 'conv1', filters: c(64), kernelSize: 15, strides: 3, padding: 'valid', activation: 'relu', kernelInitializer: init() })
    .apply(input) as tfl.SymbolicTensor;
  y = pool('pool1', y);

  /** A float conv (vanilla) or a quantized one (BWN, XNOR); in XNOR a BatchNorm comes first and ReLU is left out. */
  const conv = (layer: string, filters: number, kernelSize: number, padding: 'same' | 'valid', x: tfl.SymbolicTensor) => {
    if (!binary) {
      return tfl.layers.conv2d({ name: layer, filters, kernelSize, padding, activation: 'relu', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
    }
    if (variant === 'xnor') x = tfl.layers.batchNormalization({ name: `bn_${layer}` }).apply(x) as tfl.SymbolicTensor;
    return new QuantConv2D({
      name: layer,
      filters,
      kernelSize,
      padding,
      padValue: inputQuantizer && padding === 'same' ? -1 : null,
      activation: variant === 'xnor' ? 'linear' : 'relu',
      kernelInitializer: init(),
      kernelQuantizer,
      inputQuantizer,
      kernelClip: LATENT_CLIP,
    }).apply(x) as tfl.SymbolicTensor;
  };

  y = pool('pool2', conv('conv2', c(128), 5, 'valid', y));
  y = conv('conv3', c(256), 3, 'same', y);
  y = conv('conv4', c(256), 3, 'same', y);
  y = pool('pool5', conv('conv5', c(256), 3, 'same', y));
  y = conv('fc6', c(512), g.pool5, 'valid', y);
  if (variant !== 'xnor' && o.dropout > 0) y = tfl.layers.dropout({ name: 'drop6', rate: o.dropout, seed: o.seed + 6 }).apply(y) as tfl.SymbolicTensor;
  y = conv('fc7', c(512), 1, 'valid', y);
  if (variant === 'xnor') {
    // fc8 stays float: it reads normalized, rectified features rather than raw popcount sums
    y = tfl.layers.batchNormalization({ name: 'bn_fc8' }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.reLU({ name: 'relu_fc8' }).apply(y) as tfl.SymbolicTensor;
  } else if (o.dropout > 0) {
    y = tfl.layers.dropout({ name: 'drop7', rate: o.dropout, seed: o.seed + 7 }).apply(y) as tfl.SymbolicTensor;
  }
  y = tfl.layers.conv2d({ name: 'fc8', filters: o.classes, kernelSize: 1, kernelInitializer: init() }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.flatten({ name: 'logits' }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: y, name });
}

function pool(name: string, x: tfl.SymbolicTensor): tfl.SymbolicTensor {
  return tfl.layers.maxPooling2d({ name, poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as tfl.SymbolicTensor;
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
