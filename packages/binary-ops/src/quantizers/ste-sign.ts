// ste-sign: sign(x) in {-1, +1} (sign(0) = +1) with the straight-through estimator of BinaryNet
// (Courbariaux et al. 2016): the gradient passes unchanged where |x| <= clipValue and is zero elsewhere.
import type * as tf from '@tensorflow/tfjs-core';
import type { Quantizer, QuantizerConfig } from '../quantizer.js';
import { positiveNumber, readOptions } from '../options.js';
import { steSign } from '../sign.js';

const rules = { clipValue: positiveNumber(1) };

export class SteSign implements Quantizer {
  static readonly quantizerName: string = 'ste-sign';
  static readonly description: string = 'sign(x), gradient passed straight through where |x| <= clipValue (default 1)';
  readonly name: string = SteSign.quantizerName;
  readonly precision = 1;
  readonly clipValue: number;

  constructor(options: Record<string, unknown> = {}) {
    ({ clipValue: this.clipValue } = readOptions(options, rules));
  }

  apply(x: tf.Tensor): tf.Tensor {
    return steSign(x, this.clipValue);
  }

  getConfig(): QuantizerConfig {
    return { name: this.name, clipValue: this.clipValue };
  }
}
