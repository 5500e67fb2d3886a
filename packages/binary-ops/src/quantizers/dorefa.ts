// dorefa: k-bit quantization of DoReFa-Net (Zhou et al. 2016), so multi-bit schemes use the same API.
//   quantize_k(r) = round((2^k - 1) r) / (2^k - 1) for r in [0, 1], gradient passed straight through.
//   mode 'activations': quantize_k(clip(x, 0, 1)); gradient 1 on [0, 1], 0 outside (clip's own gradient).
//   mode 'weights', k > 1: 2 * quantize_k(tanh(W) / (2 max|tanh(W)|) + 1/2) - 1, in [-1, 1]; the gradient flows
//     through tanh and the max (the paper's eq. 9 with STE for the rounding only).
//   mode 'weights', k = 1: E(|W|) * sign(W) with E the mean over the whole tensor held constant, gradient
//     straight through (the paper's 1-bit case, as in its reference code).
// Rounding is tf.round, which rounds halves to even.
import * as tf from '@tensorflow/tfjs-core';
import type { Quantizer, QuantizerConfig } from '../quantizer.js';
import { integerBetween, oneOf, readOptions } from '../options.js';
import { signPlusOne } from '../sign.js';

const rules = { bits: integerBetween(1, 16, 2), mode: oneOf(['activations', 'weights'] as const, 'activations') };

/** round((2^k - 1) x) / (2^k - 1) with an identity gradient. */
export function quantizeUnit(x: tf.Tensor, bits: number): tf.Tensor {
  const levels = 2 ** bits - 1;
  return straightThrough(x, (v) => tf.div(tf.round(tf.mul(v, levels)), levels));
}

/** Forward `forward(x)`, backward the identity: the straight-through estimator of a rounding step. */
function straightThrough(x: tf.Tensor, forward: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad((input) => ({ value: forward(input as tf.Tensor), gradFunc: (dy: tf.Tensor) => dy }));
  return op(x);
}

export class DoReFa implements Quantizer {
  static readonly quantizerName = 'dorefa';
  static readonly description = 'k-bit DoReFa-Net quantization of weights or activations (option bits = k, mode)';
  readonly name = DoReFa.quantizerName;
  readonly bits: number;
  readonly mode: 'activations' | 'weights';

  constructor(options: Record<string, unknown> = {}) {
    ({ bits: this.bits, mode: this.mode } = readOptions(options, rules));
  }

  get precision(): number {
    return this.bits;
  }

  apply(x: tf.Tensor): tf.Tensor {
    const bits = this.bits;
    return tf.tidy(() => {
      if (this.mode === 'activations') return quantizeUnit(tf.clipByValue(x, 0, 1), bits);
      if (bits === 1) {
        const scale = tf.mean(tf.abs(x));
        return straightThrough(x, (w) => tf.mul(signPlusOne(w), scale));
      }
      const t = tf.tanh(x);
      const unit = tf.add(tf.div(t, tf.mul(2, tf.max(tf.abs(t)))), 0.5);
      return tf.sub(tf.mul(2, quantizeUnit(unit, bits)), 1);
    });
  }

  getConfig(): QuantizerConfig {
    return { name: this.name, bits: this.bits, mode: this.mode };
  }
}
