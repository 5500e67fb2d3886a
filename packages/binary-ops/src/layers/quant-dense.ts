// QuantDense: a Dense layer whose input and kernel go through quantizers on every forward pass (the latent
// kernel stays float and is what the optimizer updates).
// Importing this module registers the class with tf.serialization (a side effect, declared in package.json).
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { Dense, DenseLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/core.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables.js';
import type { Quantizer } from '../quantizer.js';
import {
  clipVariable,
  quantize,
  quantizedLayerConfig,
  readQuantizedLayerArgs,
  registeredLayerClass,
  type LatentClipping,
  type QuantizedLayerArgs,
} from './quantized-layer.js';

export interface QuantDenseArgs extends DenseLayerArgs, QuantizedLayerArgs {}

/** Dense keeps these private in its typings; QuantDense reads them the way Dense itself does. */
interface DenseInternals {
  kernel?: LayerVariable;
  bias?: LayerVariable | null;
  activation?: { apply(x: tf.Tensor): tf.Tensor } | null;
  units: number;
}

const DenseBase = registeredLayerClass<typeof Dense>('Dense');

export class QuantDense extends DenseBase implements LatentClipping {
  static override className = 'QuantDense';
  readonly inputQuantizer: Quantizer | null;
  readonly kernelQuantizer: Quantizer | null;
  readonly kernelClip: [number, number] | null;

  constructor(args: QuantDenseArgs) {
    super(args);
    ({ inputQuantizer: this.inputQuantizer, kernelQuantizer: this.kernelQuantizer, kernelClip: this.kernelClip } =
      readQuantizedLayerArgs(`QuantDense "${this.name}"`, args));
  }

  private get internals(): DenseInternals {
    return this as unknown as DenseInternals;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const { kernel, bias, activation, units } = this.internals;
      const x = quantize(this.inputQuantizer, Array.isArray(inputs) ? inputs[0]! : inputs);
      const w = quantize(this.kernelQuantizer, kernel!.read()) as tf.Tensor2D;
      // Inputs of rank > 2 ([batch, ..., features]) multiply along their last axis, as Dense does.
      const rows = tf.reshape(x, [-1, x.shape[x.rank - 1]!]) as tf.Tensor2D;
      let y: tf.Tensor = tf.matMul(rows, w);
      if (bias) y = tf.add(y, bias.read());
      y = tf.reshape(y, [...x.shape.slice(0, -1), units]);
      return activation ? activation.apply(y) : y;
    });
  }

  clipLatentWeights(): void {
    clipVariable(this.internals.kernel, this.kernelClip);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), ...quantizedLayerConfig(this) };
  }
}

serialization.registerClass(QuantDense);
