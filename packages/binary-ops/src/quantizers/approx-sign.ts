// approx-sign: sign(x) forward; backward the derivative of Bi-Real Net's piecewise quadratic approximation
// of sign (Liu et al. 2018): 2 - 2|x| for |x| < 1, zero elsewhere (so 2 at 0 and 0 from |x| = 1 on).
import * as tf from '@tensorflow/tfjs-core';
import type { Quantizer, QuantizerConfig } from '../quantizer.js';
import { readOptions } from '../options.js';
import { signWithSurrogateGradient } from '../sign.js';

/** d/dx of Bi-Real Net's ApproxSign: max(0, 2 - 2|x|). */
function approxSignDerivative(x: tf.Tensor): tf.Tensor {
  return tf.relu(tf.sub(2, tf.mul(2, tf.abs(x))));
}

export class ApproxSign implements Quantizer {
  static readonly quantizerName = 'approx-sign';
  static readonly description = "sign(x), gradient 2 - 2|x| for |x| < 1 (Bi-Real Net's ApproxSign)";
  readonly name = ApproxSign.quantizerName;
  readonly precision = 1;

  constructor(options: Record<string, unknown> = {}) {
    readOptions(options, {});
  }

  apply(x: tf.Tensor): tf.Tensor {
    return signWithSurrogateGradient(x, approxSignDerivative);
  }

  getConfig(): QuantizerConfig {
    return { name: this.name };
  }
}
