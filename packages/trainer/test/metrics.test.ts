import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  centerViewRows,
  countTopK,
  crossEntropy,
  crossEntropyLoss,
  rankOfLabel,
  softmax,
  sumOfSoftmax,
  topKAccuracy,
  voteScores,
} from '../src/index.js';

describe('top-k accuracy', () => {
  const scores = [
    0.1, 0.5, 0.2, 0.9, 0.0, 0.3, // row 0: order 3,1,5,2,0,4
    5, 4, 3, 2, 1, 0, //             row 1: order 0..5
  ];
  it('ranks labels by descending score', () => {
    expect(rankOfLabel(scores, 0, 6, 3)).toBe(0);
    expect(rankOfLabel(scores, 0, 6, 2)).toBe(3);
    expect(rankOfLabel(scores, 1, 6, 5)).toBe(5);
  });
  it('counts top-1 and top-5 hits', () => {
    expect(topKAccuracy(scores, [3, 0], 6, 1)).toBe(1);
    expect(topKAccuracy(scores, [1, 1], 6, 1)).toBe(0);
    expect(topKAccuracy(scores, [1, 1], 6, 2)).toBe(1);
    expect(countTopK(scores, [4, 5], 6, 5)).toBe(0);
    expect(countTopK(scores, [0, 4], 6, 5)).toBe(2);
  });
  it('scores a constant output at chance, not 100%: ties go to the lower class as argmax does', () => {
    const flat = new Float32Array(4 * 4);
    expect(topKAccuracy(flat, [0, 1, 2, 3], 4, 1)).toBe(0.25);
    expect(topKAccuracy(flat, [0, 1, 2, 3], 4, 2)).toBe(0.5);
  });
  it('never counts a NaN score as a hit', () => {
    expect(topKAccuracy([NaN, NaN, NaN], [1], 3, 1)).toBe(0);
  });
  it('rejects labels out of range and mismatched shapes', () => {
    expect(() => topKAccuracy([1, 2], [2], 2, 1)).toThrow(/label 2 in row 0 is outside \[0, 2\)/);
    expect(() => topKAccuracy([1, 2, 3], [0, 1], 2, 1)).toThrow(/3 scores do not make 2 rows of 2 classes/);
  });
});

describe('cross-entropy', () => {
  it('matches -log softmax and stays finite for huge logits', () => {
    const logits = [1, 2, 3, 1000, 0, -1000];
    const p = softmax(logits, 3);
    expect(crossEntropy(logits.slice(0, 3), [2], 3)).toBeCloseTo(-Math.log(p[2]!), 12);
    expect(crossEntropy(logits.slice(3), [0], 3)).toBeCloseTo(0, 12);
    expect(crossEntropy(logits.slice(3), [1], 3)).toBeCloseTo(1000, 9);
    expect(crossEntropy(logits, [2, 1], 3)).toBeCloseTo((-Math.log(p[2]!) + 1000) / 2, 9);
  });
  it('the TF.js loss equals the reference and its gradient is softmax - onehot', async () => {
    await tf.setBackend('cpu');
    const values = [0.3, -1.2, 2.0, 40, -3, 0.5];
    const logits = tf.tensor2d(values, [2, 3]);
    const labels = tf.tensor1d([1, 0], 'int32');
    expect(crossEntropyLoss(logits, labels).dataSync()[0]).toBeCloseTo(crossEntropy(values, [1, 0], 3), 5);
    const gradient = tf.grad((x: tf.Tensor) => crossEntropyLoss(x as tf.Tensor2D, labels))(logits).dataSync();
    const p = softmax(values, 3);
    const expected = Array.from(p, (v, i) => (v - (i === 1 || i === 3 ? 1 : 0)) / 2);
    expected.forEach((e, i) => expect(gradient[i]).toBeCloseTo(e, 6));
  });
});

describe('multi-view scores', () => {
  // 2 samples x 3 views x 2 classes.
  const logits = [
    0, 2, /**/ 3, 0, /**/ 0, 1, // sample 0: view argmaxes 1, 0, 1
    1, 0, /**/ 1, 0, /**/ 0, 9, // sample 1: view argmaxes 0, 0, 1
  ];
  it('sums softmax over the views of each sample', () => {
    const summed = sumOfSoftmax(logits, 2, 3, 2);
    const p = softmax(logits, 2);
    expect(summed[0]).toBeCloseTo(p[0]! + p[2]! + p[4]!, 12);
    expect(summed[3]).toBeCloseTo(p[7]! + p[9]! + p[11]!, 12);
  });
  it('votes by view argmax, where the summed scores may disagree', () => {
    const votes = voteScores(logits, 2, 3, 2);
    const summed = sumOfSoftmax(logits, 2, 3, 2);
    expect(topKAccuracy(votes, [1, 0], 2, 1)).toBe(1); // sample 1: two views vote 0
    expect(topKAccuracy(summed, [1, 1], 2, 1)).toBe(1); // ... while its summed softmax favours 1 (the confident view)
  });
  it('breaks vote ties by the summed scores', () => {
    // one sample, 2 views voting 0 and 1; class 1's view is more confident.
    const tied = [1, 0, 0, 5];
    expect(topKAccuracy(voteScores(tied, 1, 2, 2), [1], 2, 1)).toBe(1);
  });
  it('takes the first view of each sample as the center', () => {
    expect(Array.from(centerViewRows(logits, 2, 3, 2))).toEqual([0, 2, 1, 0]);
  });
});
