import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  QuantConv2D,
  QuantDense,
  clipLatentWeights,
  positiveNumber,
  readOptions,
  registerQuantizer,
  type Quantizer,
  type QuantizerConfig,
} from '@sketch-xnor/binary-ops';

/** sign(x) forward; backward the derivative of BNN+'s SwishSign, 2 sigmoid(bx)(1 + bx(1 - sigmoid(bx))) - 1. */
export class SwishSign implements Quantizer {
  static readonly quantizerName = 'swish-sign';
  static readonly description = 'sign(x) with the SwishSign surrogate gradient of BNN+ (steepness beta)';
  readonly name = SwishSign.quantizerName;
  readonly precision = 1;
  readonly beta: number;

  constructor(options: Record<string, unknown> = {}) {
    // readOptions rejects unknown keys and bad values with a message naming the option.
    ({ beta: this.beta } = readOptions(options, { beta: positiveNumber(5) }));
  }

  apply(x: tf.Tensor): tf.Tensor {
    const beta = this.beta;
    const op = tf.customGrad((input, save) => {
      const v = input as tf.Tensor;
      (save as tf.GradSaveFunc)([v]);
      return {
        value: tf.sub(tf.mul(tf.cast(tf.greaterEqual(v, 0), 'float32'), 2), 1), // sign with sign(0) = +1
        gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
          tf.tidy(() => {
            const bx = tf.mul(beta, saved!);
            // beta * (2 - bx * tanh(bx / 2)) / (1 + cosh(bx))
            const slope = tf.div(tf.mul(beta, tf.sub(2, tf.mul(bx, tf.tanh(tf.div(bx, 2))))), tf.add(1, tf.cosh(bx)));
            return tf.mul(dy, slope);
          }),
      };
    });
    return op(x);
  }

  getConfig(): QuantizerConfig {
    return { name: this.name, beta: this.beta };
  }
}

// Register once; from now on layers (and saved models) refer to the scheme by name.
registerQuantizer(SwishSign);

export function buildBinaryModel(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      new QuantConv2D({
        inputShape: [28, 28, 1],
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        padValue: 1, // pad the +-1 input with +1, not 0
        inputQuantizer: { name: 'swish-sign', beta: 10 },
        kernelQuantizer: 'magnitude-aware-sign',
        kernelClip: [-1, 1],
      }),
      tfl.layers.batchNormalization(),
      tfl.layers.flatten(),
      new QuantDense({ units: 10, inputQuantizer: 'swish-sign', kernelQuantizer: 'magnitude-aware-sign', kernelClip: [-1, 1] }),
      tfl.layers.softmax(),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

/** One training step as a trainer does it: fit a batch, then clip the latent weights. */
export async function trainStep(model: tfl.Sequential, images: tf.Tensor4D, labels: tf.Tensor2D): Promise<void> {
  await model.fit(images, labels, { epochs: 1, batchSize: images.shape[0], verbose: 0 });
  clipLatentWeights(model);
}
