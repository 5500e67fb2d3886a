import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { packKernel } from '../src/xnor/xnor-conv.js';
import { xnorConv2d } from '../src/kernels/xnor_conv2d_op.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Float reference: conv2d of sign values (0 -> +1), padded explicitly with padValue, scaled by alpha, plus bias. */
function reference(x: tf.Tensor4D, k: tf.Tensor4D, alpha: tf.Tensor1D, bias: tf.Tensor1D, strides: [number, number], padding: 'same' | 'valid', padValue: number) {
  return tf.tidy(() => {
    const sgn = (t: tf.Tensor) => tf.where(tf.greaterEqual(t, 0), tf.onesLike(t), tf.neg(tf.onesLike(t)));
    let xs = sgn(x) as tf.Tensor4D;
    const [, h, w] = x.shape;
    const [kh, kw] = k.shape;
    if (padding === 'same') {
      const oh = Math.ceil(h / strides[0]);
      const ow = Math.ceil(w / strides[1]);
      const ph = Math.max((oh - 1) * strides[0] + kh - h, 0);
      const pw = Math.max((ow - 1) * strides[1] + kw - w, 0);
      xs = tf.pad(xs, [[0, 0], [Math.floor(ph / 2), ph - Math.floor(ph / 2)], [Math.floor(pw / 2), pw - Math.floor(pw / 2)], [0, 0]], padValue);
    }
    return tf.add(tf.mul(tf.conv2d(xs, sgn(k) as tf.Tensor4D, strides, 'valid'), alpha), bias);
  });
}

describe.each(['cpu', 'wasm'])('XnorConv2D kernel on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    expect(tf.getBackend()).toBe(backend);
  });

  it.each([
    [[1, 7, 7, 3], 3, 4, [1, 1], 'same', -1],
    [[2, 9, 8, 37], 3, 6, [2, 2], 'same', 1],
    [[1, 11, 11, 64], 5, 5, [1, 1], 'valid', 1],
  ] as const)('equals conv2d of +-1 values scaled per filter: %j %i->%i', (shape, ksize, out, strides, padding, padValue) => {
    const rnd = lcg(shape[3] * 13 + out);
    const c = shape[3];
    const x = tf.tensor4d(Float32Array.from({ length: shape[0] * shape[1] * shape[2] * c }, () => rnd() - 0.5), [...shape]);
    const kv = Float32Array.from({ length: ksize * ksize * c * out }, () => rnd() - 0.5);
    const k = tf.tensor4d(kv, [ksize, ksize, c, out]);
    const alpha = tf.tensor1d(Array.from({ length: out }, () => rnd() + 0.1));
    const bias = tf.tensor1d(Array.from({ length: out }, () => rnd() - 0.5));
    const packed = packKernel(kv, ksize, ksize, c, out);
    const kernelBits = tf.tensor2d(new Int32Array(packed.rows.bits.buffer), [out, packed.rows.bits.length / out], 'int32');
    const got = xnorConv2d(x, { kernelBits, alpha, bias }, { kh: ksize, kw: ksize, inChannels: c, strides: [...strides], padding, padValue });
    const want = reference(x, k, alpha, bias, [...strides], padding, padValue);
    expect(got.shape).toEqual(want.shape);
    const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([x, k, alpha, bias, kernelBits, got, want]);
  });
});
