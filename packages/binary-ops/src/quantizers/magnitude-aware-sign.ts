// magnitude-aware-sign: the weight binarization of BWN / XNOR-Net (Rastegari et al. 2016) and of the original
// Sketch-A-XNORNet study: W_b = alpha * sign(W), one alpha = mean |W| per output filter (the mean over every
// axis but the last, for conv kernels [h, w, in, out] and dense kernels [in, out]).
//
// Gradient, with g = dL/dW_b and n the number of weights of a filter:
//   'ste'  (default): dL/dW_j = g_j * alpha * 1{|W_j| <= clipValue}. sign gets the straight-through estimator
//          and alpha is held constant (as larq's MagnitudeAwareSign does with stop_gradient).
//   'full': adds the path through alpha = (1/n) sum_i |W_i|, which every weight of the filter feeds:
//          dL/dW_j = g_j * alpha * 1{|W_j| <= clipValue} + sign(W_j) / n * sum_i g_i sign(W_i).
//          This is XNOR-Net's full derivative (eq. 7 of the paper treats sign by STE the same way).
//
// Why not the original study's rule "multiply by alpha and add 1/n", g_j * (alpha * 1{|W_j| <= 1} + 1/n)?
// The Jacobian of W_b,i = alpha * sign(W_i) is d W_b,i / d W_j = alpha * delta_ij * sign'(W_j)
// + sign(W_i) * sign(W_j) / n. Adding 1/n keeps only its diagonal (i = j, where sign(W_j)^2 = 1) and
// drops the n - 1 off-diagonal terms: alpha depends on every weight of the filter, so the gradient of one
// weight depends on the upstream gradients of all the others, sign(W_j)/n * sum_i g_i sign(W_i), not
// g_j / n. The two agree only when n = 1 or when sum_{i != j} g_i sign(W_i) happens to vanish.
import * as tf from '@tensorflow/tfjs-core';
import type { Quantizer, QuantizerConfig } from '../quantizer.js';
import { oneOf, positiveNumber, readOptions } from '../options.js';
import { signPlusOne, straightThroughMask } from '../sign.js';

const rules = { clipValue: positiveNumber(1), gradient: oneOf(['ste', 'full'] as const, 'ste') };

/** The axes alpha averages over: all but the last (output filter) axis. */
export function filterAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, axis) => axis);
}

/** alpha = mean |W| per output filter, shaped [1, ..., 1, out] to broadcast against W. */
export function filterMeanMagnitude(kernel: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.abs(kernel), filterAxes(kernel.rank), true));
}

export class MagnitudeAwareSign implements Quantizer {
  static readonly quantizerName = 'magnitude-aware-sign';
  static readonly description = 'alpha * sign(W), alpha = mean |W| per output filter (BWN / XNOR-Net weights)';
  readonly name = MagnitudeAwareSign.quantizerName;
  readonly precision = 1;
  readonly clipValue: number;
  readonly gradient: 'ste' | 'full';

  constructor(options: Record<string, unknown> = {}) {
    ({ clipValue: this.clipValue, gradient: this.gradient } = readOptions(options, rules));
  }

  apply(kernel: tf.Tensor): tf.Tensor {
    if (kernel.rank < 2) {
      throw new Error(
        `magnitude-aware-sign binarizes kernels of rank >= 2 ([..., out], one alpha per output filter); got shape [${kernel.shape.join(', ')}]`,
      );
    }
    const { clipValue, gradient } = this;
    const op = tf.customGrad((input, save) => {
      const w = input as tf.Tensor;
      const alpha = filterMeanMagnitude(w);
      const sign = signPlusOne(w);
      (save as tf.GradSaveFunc)([w, sign, alpha]);
      return {
        value: tf.mul(alpha, sign),
        gradFunc: (dy: tf.Tensor, [savedW, savedSign, savedAlpha]: tf.Tensor[]) =>
          tf.tidy(() => {
            const straightThrough = tf.mul(tf.mul(dy, savedAlpha!), straightThroughMask(savedW!, clipValue));
            if (gradient === 'ste') return straightThrough;
            const throughAlpha = tf.mul(savedSign!, tf.mean(tf.mul(dy, savedSign!), filterAxes(dy.rank), true));
            return tf.add(straightThrough, throughAlpha);
          }),
      };
    });
    return op(kernel);
  }

  getConfig(): QuantizerConfig {
    return { name: this.name, clipValue: this.clipValue, gradient: this.gradient };
  }
}
