// The page the XNOR webgpu test drives: XnorConv2D on webgpu and on cpu (the reference) for seeded cases, with
// the outputs handed back.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
import { foldBatchNormIntoSign, packKernel, xnorConv2d, type XnorConv2DAttrs } from '@sketch-xnor/binary-ops';

export interface XnorCase {
  name: string;
  xShape: [number, number, number, number];
  kernel: [number, number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
  padValue: 1 | -1;
  /** alpha 1 and no bias: the outputs are the exact integer dot products */
  exact: boolean;
  folded: boolean;
}

export interface XnorResult {
  name: string;
  cpu: number[];
  webgpu: number[];
  shape: number[];
}

function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  // a tenth exact zeros: sign(0) is +1, on every backend
  return { values: (n: number) => Float32Array.from({ length: n }, () => (next() < 0.1 ? 0 : next() * 2 - 1)) };
}

async function run(backend: string, compute: () => tf.Tensor): Promise<{ values: Float32Array; shape: number[] }> {
  await useBackend(backend);
  const y = compute();
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return { values, shape: y.shape };
}

async function compareXnor(seed: number, cases: XnorCase[]): Promise<XnorResult[]> {
  const random = generator(seed);
  const results: XnorResult[] = [];
  for (const c of cases) {
    const [kh, kw, outChannels] = c.kernel;
    const inChannels = c.xShape[3];
    const x = random.values(c.xShape.reduce((a, b) => a * b, 1));
    const packed = packKernel(random.values(kh * kw * inChannels * outChannels), kh, kw, inChannels, outChannels);
    const alpha = c.exact ? new Float32Array(outChannels).fill(1) : random.values(outChannels).map(Math.abs);
    const bias = c.exact ? undefined : random.values(outChannels);
    const gamma = random.values(inChannels);
    // zero scales fold into infinite thresholds: channel 0 always +1, channel 1 always -1
    [gamma[0], gamma[1]] = [0, 0];
    const beta = Float32Array.from([0.5, -0.5, ...random.values(inChannels - 2)]);
    const fold = c.folded ? foldBatchNormIntoSign(gamma, beta, random.values(inChannels), random.values(inChannels).map(Math.abs), 1e-3) : undefined;
    const attrs: XnorConv2DAttrs = { kh, kw, inChannels, strides: c.strides, padding: c.padding, padValue: c.padValue };
    const compute = () =>
      tf.tidy(() =>
        xnorConv2d(
          tf.tensor4d(x, c.xShape),
          {
            kernelBits: tf.tensor2d(new Int32Array(packed.rows.bits.buffer), [outChannels, packed.rows.bits.length / outChannels], 'int32'),
            alpha: tf.tensor1d(alpha),
            bias: bias && tf.tensor1d(bias),
            threshold: fold && tf.tensor1d(fold.threshold),
            negate: fold && tf.tensor1d(Int32Array.from(fold.negate), 'int32'),
          },
          attrs,
        ),
      );
    const webgpu = await run('webgpu', compute);
    const cpu = await run('cpu', compute);
    results.push({ name: c.name, cpu: Array.from(cpu.values), webgpu: Array.from(webgpu.values), shape: cpu.shape });
  }
  return results;
}

Object.assign(globalThis, { compareXnor, pageReady: true });
