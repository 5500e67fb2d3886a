// The page the XNOR webgpu test drives: XnorConv2D on webgpu and on cpu (the reference) for seeded cases, with
// the outputs handed back.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { QuantConv2D, foldBatchNormIntoSign, packKernel, packModel, xnorConv2d, type XnorConv2DAttrs } from '@sketch-xnor/binary-ops';

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

/**
 * A small XNOR net in XNOR-Net's block order (BatchNorm -> binary conv, padding -1, 32 and 64 channels as the real
 * net's conv3-conv5 fill whole words), packed by packModel (BatchNorms folded into sign thresholds): its logits on
 * webgpu and on cpu, and the float (unpacked) model's on cpu.
 */
async function comparePackedModel(seed: number): Promise<{ float: number[]; cpu: number[]; webgpu: number[]; packed: string[] }> {
  await useBackend('cpu');
  const random = generator(seed);
  const xnor = (filters: number, kernelSize: number, padding: 'same' | 'valid', name: string) =>
    new QuantConv2D({ name, filters, kernelSize, padding, kernelQuantizer: 'magnitude-aware-sign', inputQuantizer: 'xnor-input', padValue: padding === 'same' ? -1 : null });
  const input = tfl.input({ shape: [12, 12, 3] });
  let y = tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }).apply(input) as tfl.SymbolicTensor;
  for (const [name, filters] of [['conv2', 64], ['conv3', 64]] as const) {
    y = tfl.layers.batchNormalization({ name: `bn_${name}` }).apply(y) as tfl.SymbolicTensor;
    y = xnor(filters, 3, 'same', name).apply(y) as tfl.SymbolicTensor;
  }
  y = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool3' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({ name: 'bn_fc6' }).apply(y) as tfl.SymbolicTensor;
  y = xnor(40, 6, 'valid', 'fc6').apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.flatten().apply(tfl.layers.batchNormalization({ name: 'bn_fc8' }).apply(y)) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 10, name: 'fc8' }).apply(y) as tfl.SymbolicTensor });
  // weights and BatchNorm statistics away from the defaults (gamma 1, beta 0, mean 0, variance 1)
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (!weights.length) continue;
    const isBatchNorm = layer.getClassName() === 'BatchNormalization';
    layer.setWeights(weights.map((w, i) => tf.tensor(random.values(w.size).map((v) => (isBatchNorm && i === 3 ? 0.5 + Math.abs(v) : v)), w.shape)));
  }
  const x = tf.tensor4d(random.values(4 * 12 * 12 * 3).map(Math.abs), [4, 12, 12, 3]);
  const logits = async (m: tfl.LayersModel, backend: string) => {
    await useBackend(backend);
    const out = m.predict(x) as tf.Tensor;
    const values = Array.from(await out.data());
    out.dispose();
    return values;
  };
  const float = await logits(model, 'cpu');
  const { model: packed, report } = packModel(model);
  const cpu = await logits(packed, 'cpu');
  const webgpu = await logits(packed, 'webgpu');
  return { float, cpu, webgpu, packed: report.layers.filter((l) => l.action.startsWith('packed')).map((l) => l.name) };
}

Object.assign(globalThis, { compareXnor, comparePackedModel, pageReady: true });
