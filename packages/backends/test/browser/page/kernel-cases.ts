// The kernels a Sketch-A-Net train step runs, on shapes drawn from a seeded generator: conv2d and both its
// gradients (strides, same/valid padding), maxPool and its gradient, relu and its gradient, matMul (transposes)
// with its gradients, and softmax cross-entropy with its gradient. Each case computes from plain arrays, so it
// can run on any backend.
import * as tf from '@tensorflow/tfjs-core';

export interface KernelCase {
  name: string;
  outputs: string[];
  compute(): tf.Tensor[];
}

function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    array: (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1),
  };
}

const shapeText = (shape: readonly number[]) => shape.join('x');

export function kernelCases(seed: number, convCount: number): KernelCase[] {
  const random = generator(seed);
  const tensor = (shape: number[]) => {
    const values = random.array(shape);
    return () => tf.tensor(values, shape);
  };
  const cases: KernelCase[] = [];

  const convShapes: { xShape: number[]; wShape: number[]; strides: [number, number]; pad: 'same' | 'valid' }[] = [];
  for (let i = 0; i < convCount; i++) {
    const [k1, k2] = [random.int(1, 5), random.int(1, 5)];
    const xShape = [random.int(1, 3), random.int(k1, 20), random.int(k2, 20), random.int(1, 8)];
    const wShape = [k1, k2, xShape[3]!, random.int(1, 8)];
    convShapes.push({ xShape, wShape, strides: [random.int(1, 3), random.int(1, 3)], pad: random.pick(['same', 'valid'] as const) });
  }
  // filter gradients of several 64x64 tiles (the webgpu project kernel's), and Sketch-A-Net's conv1 geometry
  convShapes.push({ xShape: [2, 9, 9, 24], wShape: [3, 3, 24, 80], strides: [1, 1], pad: 'same' });
  convShapes.push({ xShape: [1, 33, 33, 1], wShape: [15, 15, 1, 16], strides: [3, 3], pad: 'valid' });
  for (const { xShape, wShape, strides, pad } of convShapes) {
    const x = tensor(xShape);
    const w = tensor(wShape);
    const yShape = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, strides, pad).shape;
    const r = tensor(yShape);
    cases.push({
      name: `conv2d x ${shapeText(xShape)} w ${shapeText(wShape)} strides ${strides} ${pad}`,
      outputs: ['y', 'dx', 'dw'],
      compute: () => {
        const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), r())))([x(), w()]);
        return [conv(x(), w()), dx!, dw!];
      },
    });
  }

  // Sketch-A-Net pools 3x3 with stride 2; also 2x2 and same padding
  for (const [size, stride, pad] of [[3, 2, 'valid'], [3, 2, 'same'], [2, 2, 'valid']] as const) {
    const xShape = [random.int(1, 3), random.int(size, 17), random.int(size, 17), random.int(1, 8)];
    const x = tensor(xShape);
    const yShape = tf.maxPool(tf.zeros(xShape) as tf.Tensor4D, size, stride, pad).shape;
    const r = tensor(yShape);
    const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, size, stride, pad);
    cases.push({
      name: `maxPool ${size}x${size} stride ${stride} ${pad} x ${shapeText(xShape)}`,
      outputs: ['y', 'dx'],
      compute: () => [pool(x()), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), r())))(x())],
    });
  }

  {
    const shape = [random.int(1, 4), random.int(3, 30), random.int(3, 30), random.int(1, 16)];
    const x = tensor(shape);
    const r = tensor(shape);
    cases.push({
      name: `relu ${shapeText(shape)}`,
      outputs: ['y', 'dx'],
      compute: () => [tf.relu(x()), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), r())))(x())],
    });
  }

  for (const [transposeA, transposeB] of [[false, false], [false, true], [true, false]] as const) {
    const [m, k, n] = [random.int(1, 70), random.int(1, 300), random.int(1, 70)];
    const a = tensor(transposeA ? [k, m] : [m, k]);
    const b = tensor(transposeB ? [n, k] : [k, n]);
    const r = tensor([m, n]);
    const product = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, transposeA, transposeB);
    cases.push({
      name: `matMul ${m}x${k}x${n}${transposeA ? ' transposeA' : ''}${transposeB ? ' transposeB' : ''}`,
      outputs: ['y', 'da', 'db'],
      compute: () => {
        const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(product(p, q), r())))([a(), b()]);
        return [product(a(), b()), da!, db!];
      },
    });
  }

  {
    const [batch, classes] = [random.int(2, 16), random.int(2, 250)];
    const logits = random.array([batch, classes]).map((v) => v * 8);
    const labels = Int32Array.from({ length: batch }, () => random.int(0, classes - 1));
    const loss = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), z);
    cases.push({
      name: `softmax cross-entropy ${batch}x${classes}`,
      outputs: ['loss', 'dlogits'],
      compute: () => [loss(tf.tensor(logits, [batch, classes])), tf.grad(loss)(tf.tensor(logits, [batch, classes]))],
    });
  }
  return cases;
}
