import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { PackedConv2D, packedWordsPerFilter } from '../src/inference/packed-conv2d.js';
import { packKernel, foldBatchNormIntoSign } from '../src/xnor/xnor-conv.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const kh = 3, kw = 3, c = 40, o = 6;
const rnd = lcg(11);
const kernel = Float32Array.from({ length: kh * kw * c * o }, () => rnd() - 0.5);
const alpha = Float32Array.from({ length: o }, () => 0.1 + rnd());
const bias = Float32Array.from({ length: o }, () => rnd() - 0.5);
const bn = {
  gamma: Array.from({ length: c }, (_, i) => (i % 4 === 0 ? -1 : 1) * (0.5 + rnd())),
  beta: Array.from({ length: c }, () => rnd() - 0.5),
  mean: Array.from({ length: c }, () => rnd() - 0.5),
  variance: Array.from({ length: c }, () => 0.5 + rnd()),
};
const x = Float32Array.from({ length: 2 * 8 * 8 * c }, () => rnd() * 2 - 1);

function packedModel(mode: 'xnor' | 'bwn', folded: boolean) {
  const model = tfl.sequential();
  model.add(new PackedConv2D({ inputShape: [8, 8, c], filters: o, kernelSize: [kh, kw], inChannels: c, padding: 'same', padValue: -1, mode, foldedBatchNorm: folded, name: 'conv' }));
  const packed = packKernel(kernel, kh, kw, c, o);
  const weights: tf.Tensor[] = [
    tf.tensor2d(new Int32Array(packed.rows.bits.buffer), [o, packedWordsPerFilter(kh, kw, c)], 'int32'),
    tf.tensor1d(alpha),
    tf.tensor1d(bias),
  ];
  if (folded) {
    const f = foldBatchNormIntoSign(bn.gamma, bn.beta, bn.mean, bn.variance, 1e-3);
    weights.push(tf.tensor1d(f.threshold), tf.tensor1d(Int32Array.from(f.negate), 'int32'));
  }
  model.setWeights(weights);
  return model;
}

/** The float layer the packed one replaces: [BatchNorm ->] sign -> conv padded with -1 -> *alpha + bias (xnor); conv(x, sign(W)) * alpha + bias (bwn). */
function reference(mode: 'xnor' | 'bwn', folded: boolean): tf.Tensor {
  return tf.tidy(() => {
    const sgn = (t: tf.Tensor) => tf.where(tf.greaterEqual(t, 0), tf.onesLike(t), tf.neg(tf.onesLike(t)));
    let input = tf.tensor4d(x, [2, 8, 8, c]);
    const k = sgn(tf.tensor4d(kernel, [kh, kw, c, o])) as tf.Tensor4D;
    if (mode === 'bwn') return tf.add(tf.mul(tf.conv2d(input, k, 1, 'same'), alpha), bias);
    if (folded) input = tf.batchNorm(input, bn.mean, bn.variance, bn.beta, bn.gamma, 1e-3);
    const padded = tf.pad(sgn(input) as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]], -1);
    return tf.add(tf.mul(tf.conv2d(padded, k, 1, 'valid'), alpha), bias);
  });
}

describe.each(['cpu', 'wasm'])('PackedConv2D on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it.each([['xnor', false], ['xnor', true], ['bwn', false]] as const)('%s (folded BatchNorm: %s) equals the float layer it replaces', (mode, folded) => {
    const model = packedModel(mode, folded);
    const got = model.predict(tf.tensor4d(x, [2, 8, 8, c])) as tf.Tensor;
    const want = reference(mode, folded);
    expect(got.shape).toEqual([2, 8, 8, o]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-3);
  });

  it('round-trips through save and load', async () => {
    const model = packedModel('xnor', true);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const input = tf.tensor4d(x, [2, 8, 8, c]);
    const a = model.predict(input) as tf.Tensor;
    const b = loaded.predict(input) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // int32 bit words survive serialization untouched
    expect(loaded.getWeights()[0]!.dtype).toBe('int32');
  });
});
