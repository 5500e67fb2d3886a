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

export interface QuantConv2DArgs extends ConvLayerArgs, QuantizedLayerArgs {
  /**
   * With padding 'same': the value the (quantized) input is padded with, e.g. 1 or -1, instead of 0; the layer
   * then pads explicitly and runs a 'valid' convolution. null/undefined = ordinary zero padding.
   */
  padValue?: number | null;
}

const Conv2DBase = registeredLayerClass<typeof Conv2D>('Conv2D');

export class QuantConv2D extends Conv2DBase implements LatentClipping {
  static override className = 'QuantConv2D';
  readonly inputQuantizer: Quantizer | null;
  readonly kernelQuantizer: Quantizer | null;
  readonly kernelClip: [number, number] | null;
  readonly padValue: number | null;

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
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      let x = quantize(this.inputQuantizer, Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      let padding: 'same' | 'valid' = this.padding === 'same' ? 'same' : 'valid';
      if (padding === 'same' && this.padValue !== null) {
        x = this.padWithValue(x, this.padValue);
        padding = 'valid';
      }
      const kernel = quantize(this.kernelQuantizer, this.kernel.read()) as tf.Tensor4D;
      const [strideH, strideW] = this.strides as [number, number];
      const dilations = this.dilationRate as [number, number];
      const y = tf.fused.conv2d({
        x,
        filter: kernel,
        strides: [strideH, strideW],
        pad: padding,
        dataFormat: 'NHWC',
        dilations,
        bias: this.bias?.read(),
      });
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
    return { ...super.getConfig(), ...quantizedLayerConfig(this), padValue: this.padValue };
  }
}

serialization.registerClass(QuantConv2D);
