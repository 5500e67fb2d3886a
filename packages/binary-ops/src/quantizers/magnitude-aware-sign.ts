// magnitude-aware-sign: the weight binarization of BWN / XNOR-Net (Rastegari et al. 2016) and of the original
// Sketch-A-XNORNet study: W_b = alpha * sign(W), one alpha = mean |W| per output filter (the mean over every
// axis but the last, for conv kernels [h, w, in, out] and dense kernels [in, out]).
//
// Gradient, with g = dL/dW_b and n the number of weights of a filter:
//   'ste'  (default): dL/dW_j = g_j * alpha * 1{|W_j| <= clipValue}. sign gets the straight-through estimator
//          and alpha is held constant (as larq's MagnitudeAwareSign does with stop_gradient).
//   'xnor-net': dL/dW_j = g_j * (1/n + alpha * 1{|W_j| <= clipValue}): the form XNOR-Net published (its eq. for
//          the weight gradient) and the original Sketch-A-XNORNet study trained with.
//   'full': the exact derivative of alpha * sign(W) (sign by STE), with the path through alpha =
//          (1/n) sum_i |W_i|, which every weight of the filter feeds:
//          dL/dW_j = g_j * alpha * 1{|W_j| <= clipValue} + sign(W_j) / n * sum_i g_i sign(W_i).
//
// Why 'xnor-net' is not the derivative: the Jacobian of W_b,i = alpha * sign(W_i) is d W_b,i / d W_j =
// alpha * delta_ij * sign'(W_j) + sign(W_i) * sign(W_j) / n. The published 1/n term keeps only its diagonal
// (i = j, where sign(W_j)^2 = 1) and drops the n - 1 off-diagonal terms: alpha depends on every weight of the
// filter, so the gradient of one weight depends on the upstream gradients of all the others,
// sign(W_j)/n * sum_i g_i sign(W_i), not g_j / n. The two agree only when n = 1 or when
// sum_{i != j} g_i sign(W_i) happens to vanish.
import * as tf from '@tensorflow/tfjs-core';
import type { Quantizer, QuantizerConfig } from '../quantizer.js';
import { oneOf, positiveNumber, readOptions } from '../options.js';
import { signPlusOne, straightThroughMask } from '../sign.js';

/** The weight-gradient rules of magnitude-aware-sign (see the top of this file). */
export const MAGNITUDE_AWARE_GRADIENTS = ['ste', 'xnor-net', 'full'] as const;
export type MagnitudeAwareGradient = (typeof MAGNITUDE_AWARE_GRADIENTS)[number];

const rules = { clipValue: positiveNumber(1), gradient: oneOf(MAGNITUDE_AWARE_GRADIENTS, 'ste') };

/** The axes alpha averages over: all but the last (output filter) axis. */
export function filterAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, axis) => axis);
}

/** n: the number of weights of one output filter (every axis but the last). */
function filterSize(shape: readonly number[]): number {
  return shape.slice(0, -1).reduce((a, b) => a * b, 1);
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
  readonly gradient: MagnitudeAwareGradient;

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
            if (gradient === 'xnor-net') return tf.add(straightThrough, tf.div(dy, filterSize(dy.shape)));
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
