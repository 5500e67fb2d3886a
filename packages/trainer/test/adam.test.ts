import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { Adam } from '../src/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

// A small least-squares problem: f(w, b) = mean((x w + b - y)^2).
const x = () => tf.tensor2d([1, 2, 0.5, -1, 3, 0.2, -2, 1, 0.7, 0.1, -0.4, 2], [4, 3]);
const y = () => tf.tensor2d([1, -1, 0.5, 2], [4, 1]);
const lossOf = (w: tf.Variable, b: tf.Variable) => () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x(), w), b), y()))) as tf.Scalar;

function variables() {
  return [tf.variable(tf.tensor2d([0.1, -0.2, 0.3], [3, 1])), tf.variable(tf.tensor1d([0.05]))] as const;
}

describe('Adam', () => {
  it('follows tf.train.adam step for step, with a learning rate that changes every step', async () => {
    const [w1, b1] = variables();
    const [w2, b2] = variables();
    const ours = new Adam({ epsilon: 1e-8 });
    const reference = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
    for (let step = 0; step < 20; step++) {
      const lr = 0.05 * Math.pow(0.9, step);
      (reference as unknown as { learningRate: number }).learningRate = lr;
      const { grads } = tf.variableGrads(lossOf(w1, b1), [w1, b1]);
      await ours.apply([w1, b1], [grads[w1.name]!, grads[b1.name]!], lr);
      tf.dispose(grads);
      reference.minimize(lossOf(w2, b2), false, [w2, b2]);
    }
    // The two differ only in where epsilon enters (the paper's efficient form vs the textbook one).
    Array.from(w1.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(w2.dataSync()[i]!, 5));
    expect(b1.dataSync()[0]).toBeCloseTo(b2.dataSync()[0]!, 5);
    expect(ours.updateCount).toBe(20);
  });

  it('clips the global gradient norm and reports the norm before clipping', async () => {
    const [w, b] = variables();
    const adam = new Adam({ clipGradientNorm: 0.01 });
    const { grads } = tf.variableGrads(lossOf(w, b), [w, b]);
    const gradients = [grads[w.name]!, grads[b.name]!];
    const norm = Math.sqrt(gradients.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0));
    expect(await adam.apply([w, b], gradients, 0.1)).toBeCloseTo(norm, 5);
    // After one update the first moment is (1 - beta1) * clipped gradient: its norm is (1 - beta1) * 0.01.
    const { first } = adam.getMoments();
    const momentNorm = Math.sqrt(first.reduce((s, m) => s + tf.sum(tf.square(m)).dataSync()[0]!, 0));
    expect(momentNorm).toBeCloseTo(0.1 * 0.01, 8);
  });

  it('adds L2 weight decay to kernels (rank >= 2) only', async () => {
    const [w, b] = variables();
    const adam = new Adam({ weightDecay: 0.5 });
    const wBefore = w.dataSync().slice();
    const { grads } = tf.variableGrads(lossOf(w, b), [w, b]);
    const gw = grads[w.name]!.dataSync();
    const gb = grads[b.name]!.dataSync();
    await adam.apply([w, b], [grads[w.name]!, grads[b.name]!], 0.1);
    const [mw, mb] = adam.getMoments().first;
    Array.from(mw!.dataSync()).forEach((m, i) => expect(m).toBeCloseTo(0.1 * (gw[i]! + 0.5 * wBefore[i]!), 6));
    expect(mb!.dataSync()[0]).toBeCloseTo(0.1 * gb[0]!, 6);
  });

  it('leaves weights without a gradient untouched', async () => {
    const [w, b] = variables();
    const adam = new Adam();
    const before = b.dataSync().slice();
    const { grads } = tf.variableGrads(lossOf(w, b), [w, b]);
    await adam.apply([w, b], [grads[w.name]!, undefined], 0.1);
    expect(Array.from(b.dataSync())).toEqual(Array.from(before));
  });
});
