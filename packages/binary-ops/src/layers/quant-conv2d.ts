// QuantConv2D: a Conv2D whose input and kernel go through quantizers on every forward pass (the latent
// kernel stays float and is what the optimizer updates), with value padding for binary inputs.
// Importing this module registers the class with tf.serialization (a side effect, declared in package.json).
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { Conv2D, ConvLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/convolutional.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { Quantizer } from '../quantizer.js';
import { describeValue } from '../options.js';
import {
  clipVariable,
  quantize,
  quantizedLayerConfig,
  readQuantizedLayerArgs,
  registeredLayerClass,
  type LatentClipping,
  type QuantizedLayerArgs,
} from './quantized-layer.js';
import { samePadding } from './padding.js';
import { xnorInputScale } from '../quantizers/xnor-input.js';

export interface QuantConv2DArgs extends ConvLayerArgs, QuantizedLayerArgs {
  /**
   * With padding 'same': the value the (quantized) input is padded with, e.g. 1 or -1, instead of 0; the layer
   * then pads explicitly and runs a 'valid' convolution. null/undefined = ordinary zero padding.
   */
  padValue?: number | null;
  /**
   * 'xnor': multiply the output by XNOR-Net's input scale K (`xnorInputScale` of the float input: mean |I| over
   * channels, box-filtered over the kernel window). null/undefined = no input scaling.
   */
  inputScale?: 'xnor' | null;
}

const Conv2DBase = registeredLayerClass<typeof Conv2D>('Conv2D');

export class QuantConv2D extends Conv2DBase implements LatentClipping {
  static override className = 'QuantConv2D';
  readonly inputQuantizer: Quantizer | null;
  readonly kernelQuantizer: Quantizer | null;
  readonly kernelClip: [number, number] | null;
  readonly padValue: number | null;
  readonly inputScale: 'xnor' | null;

  constructor(args: QuantConv2DArgs) {
    super(args);
    const where = `QuantConv2D "${this.name}"`;
    if (this.dataFormat !== 'channelsLast') {
      throw new Error(`${where}: only dataFormat 'channelsLast' is supported, got ${describeValue(this.dataFormat)}`);
    }
    ({ inputQuantizer: this.inputQuantizer, kernelQuantizer: this.kernelQuantizer, kernelClip: this.kernelClip } =
      readQuantizedLayerArgs(where, args));
    const padValue = args.padValue ?? null;
    if (padValue !== null && !(typeof padValue === 'number' && Number.isFinite(padValue))) {
      throw new Error(`${where}: padValue must be a finite number or null, got ${describeValue(padValue)}`);
    }
    this.padValue = padValue;
    const inputScale = args.inputScale ?? null;
    if (inputScale !== null && inputScale !== 'xnor') {
      throw new Error(`${where}: inputScale must be 'xnor' or null, got ${describeValue(inputScale)}`);
    }
    this.inputScale = inputScale;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const input = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      let x = quantize(this.inputQuantizer, input) as tf.Tensor4D;
      const layerPadding: 'same' | 'valid' = this.padding === 'same' ? 'same' : 'valid';
      let padding = layerPadding;
      if (padding === 'same' && this.padValue !== null) {
        x = this.padWithValue(x, this.padValue);
        padding = 'valid';
      }
      const kernel = quantize(this.kernelQuantizer, this.kernel.read()) as tf.Tensor4D;
      const [strideH, strideW] = this.strides as [number, number];
      const dilations = this.dilationRate as [number, number];
      let y = tf.conv2d(x, kernel, [strideH, strideW], padding, 'NHWC', dilations);
      if (this.inputScale === 'xnor') {
        const kernelSize = this.kernelSize as [number, number];
        y = tf.mul(y, xnorInputScale(input, { kernelSize, strides: [strideH, strideW], padding: layerPadding, dilationRate: dilations }));
      }
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activation ? this.activation.apply(y) : y;
    });
  }

  private padWithValue(x: tf.Tensor4D, value: number): tf.Tensor4D {
    const [kh, kw] = this.kernelSize as [number, number];
    const [sh, sw] = this.strides as [number, number];
    const [dh, dw] = this.dilationRate as [number, number];
    const top = samePadding(x.shape[1], kh, sh, dh);
    const left = samePadding(x.shape[2], kw, sw, dw);
    return tf.pad(x, [[0, 0], top, left, [0, 0]], value);
  }

  clipLatentWeights(): void {
    clipVariable(this.kernel, this.kernelClip);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), ...quantizedLayerConfig(this), padValue: this.padValue, inputScale: this.inputScale };
  }
}

serialization.registerClass(QuantConv2D);
