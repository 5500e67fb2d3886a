// Ternary weights (Li & Liu, "Ternary Weight Networks", 2016) as a binary-ops plugin written outside the package:
// W_t = a * t, t in {-1, 0, +1}, t = sign(W) where |W| > delta and 0 elsewhere, with delta = ratio * mean|W| and
// a = mean |W| over the kept weights, one (delta, a) per output filter. Gradient: straight through where |W| <= 1.
//
// A plugin module exports `register()`; `sketch-xnor --plugin <package-or-path>` imports it and calls it, and a
// program does the same before building or loading a model that names the scheme.
import * as tf from '@tensorflow/tfjs-core';
import { registerQuantizer, listQuantizers, type Quantizer, type QuantizerConfig } from '@sketch-xnor/binary-ops';

export class TernaryWeights implements Quantizer {
  static readonly quantizerName = 'ternary-weights';
  static readonly description = 'a * {-1, 0, +1} per output filter, delta = ratio * mean|W| (TWN)';
  readonly name = TernaryWeights.quantizerName;
  readonly precision = 2;
  readonly ratio: number;

  constructor(options: Record<string, unknown> = {}) {
    const { ratio = 0.7, ...rest } = options;
    const unknown = Object.keys(rest);
    if (unknown.length) throw new Error(`unknown option(s) ${unknown.join(', ')}; ternary-weights takes { ratio }`);
    if (typeof ratio !== 'number' || !(ratio > 0 && ratio < 2)) throw new Error(`ratio must be a number in (0, 2), got ${JSON.stringify(ratio)}`);
    this.ratio = ratio;
  }

  apply(kernel: tf.Tensor): tf.Tensor {
    const axes = Array.from({ length: kernel.rank - 1 }, (_, i) => i);
    const ratio = this.ratio;
    const op = tf.customGrad((input, save) => {
      const w = input as tf.Tensor;
      const magnitude = tf.abs(w);
      const delta = tf.mul(tf.mean(magnitude, axes, true), ratio);
      const kept = tf.cast(tf.greater(magnitude, delta), 'float32');
      // a = mean |W| over the kept weights (guarding filters where nothing is kept)
      const scale = tf.div(tf.sum(tf.mul(magnitude, kept), axes, true), tf.maximum(tf.sum(kept, axes, true), 1));
      (save as tf.GradSaveFunc)([w]);
      return {
        value: tf.mul(tf.mul(tf.sign(w), kept), scale),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.cast(tf.lessEqual(tf.abs(saved[0]!), 1), 'float32')),
      };
    });
    return op(kernel);
  }

  getConfig(): QuantizerConfig {
    return { name: this.name, ratio: this.ratio };
  }
}

/** Registers the scheme (once; calling again is harmless). */
export function register(): void {
  if (!listQuantizers().includes(TernaryWeights.quantizerName)) registerQuantizer(TernaryWeights);
}
