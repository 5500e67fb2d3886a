// BatchNorm statistics away from a fresh layer's (mean 0, variance 1, beta 0), as training leaves them. For tests and
// benchmarks of packed models: a fresh BatchNorm puts every XNOR sign threshold at exactly 0, where binary convolution
// outputs (alpha times an integer) land exactly, so the float path would decide sign(0) by rounding noise.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export function randomizeBatchNormStatistics(model: tfl.LayersModel, seed = 1): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const n = layer.getWeights()[0]!.shape[0]!;
    const weights = [
      tf.randomUniform([n], 0.5, 1.5, 'float32', seed++),
      tf.randomUniform([n], -0.3, 0.3, 'float32', seed++),
      tf.randomUniform([n], -0.2, 0.2, 'float32', seed++),
      tf.randomUniform([n], 0.5, 2, 'float32', seed++),
    ];
    layer.setWeights(weights);
    tf.dispose(weights);
  }
}
