// The sign function of binary networks and its straight-through estimator. Binary nets need sign(0) = +1
// (tf.sign(0) is 0, which would make a third value), so everything here maps x >= 0 to +1.
import * as tf from '@tensorflow/tfjs-core';

/** sign(x) in {-1, +1} with sign(0) = +1. No gradient of its own (piecewise constant). */
export function signPlusOne(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greaterEqual(x, 0), 'float32'), 2), 1));
}

/** 1 where |x| <= clipValue, else 0: where a straight-through estimator lets the gradient pass. */
export function straightThroughMask(x: tf.Tensor, clipValue: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.lessEqual(tf.abs(x), clipValue), 'float32'));
}

/**
 * Forward sign(x), backward `surrogateGradient(x)` times the incoming gradient: the shape of every
 * binarizer with a surrogate derivative (STE, ApproxSign, SwishSign, ...).
 */
export function signWithSurrogateGradient(x: tf.Tensor, surrogateGradient: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad((input, save) => {
    const value = input as tf.Tensor;
    (save as tf.GradSaveFunc)([value]);
    return {
      value: signPlusOne(value),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.tidy(() => tf.mul(dy, surrogateGradient(saved!))),
    };
  });
  return op(x);
}

/** sign(x) with the straight-through estimator: gradient passed where |x| <= clipValue, zero elsewhere. */
export function steSign(x: tf.Tensor, clipValue = 1): tf.Tensor {
  return signWithSurrogateGradient(x, (saved) => straightThroughMask(saved, clipValue));
}
