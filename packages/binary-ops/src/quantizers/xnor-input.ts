// xnor-input: XNOR-Net's activation binarization (Rastegari et al. 2016): sign(I) with the straight-through
// estimator. The paper's input scaling K is a separate function (`xnorInputScale`), since it multiplies the
// convolution's output, not the binarized input, and depends on the kernel window.
import * as tf from '@tensorflow/tfjs-core';
import { SteSign } from './ste-sign.js';

/** The same binarizer as `ste-sign`, under XNOR-Net's name so a model config says what it reproduces. */
export class XnorInput extends SteSign {
  static override readonly quantizerName: string = 'xnor-input';
  static override readonly description = "XNOR-Net's input binarization: sign(I) with the straight-through estimator";
  override readonly name: string = XnorInput.quantizerName;
}

export interface XnorInputScaleOptions {
  /** The convolution's kernel window [kh, kw] (or one number for both). */
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | [number, number];
}

/**
 * XNOR-Net's input scale K = A * k: A is the mean of |I| over channels ([N, H, W, 1]) and k a box filter of
 * 1/(kh*kw) over the kernel window, run with the convolution's strides, padding and dilation, so K has the
 * conv output's spatial size ([N, outH, outW, 1]) and scales its output: conv(sign(I), sign(W)) * K * alpha.
 * With 'same' padding the window counts padded positions as |I| = 0, as the paper's convolution with k does.
 */
export function xnorInputScale(input: tf.Tensor4D, options: XnorInputScaleOptions): tf.Tensor4D {
  const [kh, kw] = pair(options.kernelSize);
  return tf.tidy(() => {
    const meanMagnitude = tf.mean(tf.abs(input), -1, true) as tf.Tensor4D;
    const box = tf.fill([kh, kw, 1, 1], 1 / (kh * kw)) as tf.Tensor4D;
    return tf.conv2d(meanMagnitude, box, pair(options.strides ?? 1), options.padding ?? 'valid', 'NHWC', pair(options.dilationRate ?? 1));
  });
}

function pair(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}
