// What the wasm-threads test computes on each backend and thread count: every kernel of a convolutional train step
// (convolutions and both of their gradients on each of the project's code paths, pooling and its gradient, matrix
// products), then three Adam steps of a small convolutional net. Plain numbers out, so a child process can hand
// them back as bytes.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers'; // also registers the gradients of tf ops

type Shape4 = [number, number, number, number];

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}
const random = (shape: number[], seed: number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, lcg(seed)), shape);

interface ConvCase {
  name: string;
  x: Shape4;
  w: Shape4;
  s: [number, number];
  pad: 'same' | 'valid';
}

// large enough that XNNPACK splits the work between threads
export const CONV_CASES: ConvCase[] = [
  { name: 'conv 3x3 same (input gradient: one convolution)', x: [4, 27, 27, 48], w: [3, 3, 48, 64], s: [1, 1], pad: 'same' },
  { name: 'conv 5x5 stride 2 (input gradient: matrix product, col2im)', x: [3, 31, 29, 16], w: [5, 5, 16, 32], s: [2, 2], pad: 'valid' },
  { name: 'conv1-like 15x15 stride 3', x: [2, 64, 64, 1], w: [15, 15, 1, 32], s: [3, 3], pad: 'valid' },
  { name: 'fc6-like 7x7 over 7x7', x: [4, 7, 7, 64], w: [7, 7, 64, 96], s: [1, 1], pad: 'valid' },
];

/** Named float32 results: forward outputs and gradients of every case. */
export function kernelResults(): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  tf.tidy(() => {
    CONV_CASES.forEach((c, i) => {
      const x = random(c.x, 10 + i) as tf.Tensor4D;
      const w = random(c.w, 20 + i) as tf.Tensor4D;
      const y = tf.conv2d(x, w, c.s, c.pad);
      const r = random(y.shape, 30 + i);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), r)))([x, w]);
      out[`${c.name}: forward`] = y.dataSync() as Float32Array;
      out[`${c.name}: input gradient`] = dx!.dataSync() as Float32Array;
      out[`${c.name}: filter gradient`] = dw!.dataSync() as Float32Array;
    });
    const p = random([4, 27, 27, 32], 40) as tf.Tensor4D;
    const rp = random(tf.maxPool(p, 3, 2, 'valid').shape, 41);
    out['maxPool 3x3/2: forward'] = tf.maxPool(p, 3, 2, 'valid').dataSync() as Float32Array;
    out['maxPool 3x3/2: gradient'] = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 3, 2, 'valid'), rp)))(p).dataSync() as Float32Array;
    const a = random([64, 300], 50) as tf.Tensor2D;
    const b = random([300, 200], 51) as tf.Tensor2D;
    const rm = random([64, 200], 52);
    out['matMul: forward'] = tf.matMul(a, b).dataSync() as Float32Array;
    const [da, db] = tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(tf.matMul(u as tf.Tensor2D, v as tf.Tensor2D), rm)))([a, b]);
    out['matMul: gradient a'] = da!.dataSync() as Float32Array;
    out['matMul: gradient b'] = db!.dataSync() as Float32Array;
  });
  return out;
}

/** Weights (in model order) after `steps` Adam steps of a small seeded conv net on seeded data. */
export function trainedWeights(steps = 3): Float32Array[] {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 1], filters: 16, kernelSize: 5, strides: 2, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.maxPooling2d({ poolSize: 3, strides: 2 }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  const optimizer = tf.train.adam(1e-2);
  const x = random([16, 32, 32, 1], 60);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i * 7) % 10), 'int32'), 10);
  for (let s = 0; s < steps; s++) {
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar)!;
  }
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
  return weights;
}
