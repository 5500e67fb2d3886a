// nx run bench:kernels — per layer of Sketch-A-Net (225 input), the 1-bit kernels against the float kernels of the
// same backend, then end to end (batch 1 and 8): the float XNOR model, its packed bundle form, and the PyTorch
// float peer's forward on the same single thread, all measured in the same run. Prints medians and ratios.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { packKernel, xnorConv2d, packedWordsPerFilter, packModel } from '@sketch-xnor/binary-ops';
import { buildModel, randomizeBatchNormStatistics } from '@sketch-xnor/models';
import { runTorchPeer, torchPeerCommand } from './torch-peer.js';

interface ConvLayer {
  name: string;
  size: number;
  inChannels: number;
  outChannels: number;
  k: number;
  stride: number;
  padding: 'same' | 'valid';
}

/** Sketch-A-Net's binarized layers at 225x225 input (conv1 and fc8 stay float). */
const LAYERS: ConvLayer[] = [
  { name: 'conv2', size: 35, inChannels: 64, outChannels: 128, k: 5, stride: 1, padding: 'valid' },
  { name: 'conv3', size: 15, inChannels: 128, outChannels: 256, k: 3, stride: 1, padding: 'same' },
  { name: 'conv4', size: 15, inChannels: 256, outChannels: 256, k: 3, stride: 1, padding: 'same' },
  { name: 'conv5', size: 15, inChannels: 256, outChannels: 256, k: 3, stride: 1, padding: 'same' },
  { name: 'fc6', size: 7, inChannels: 256, outChannels: 512, k: 7, stride: 1, padding: 'valid' },
  { name: 'fc7', size: 1, inChannels: 512, outChannels: 512, k: 1, stride: 1, padding: 'valid' },
];

/** Runs an op and waits for its values, outside tf.tidy (tidy would walk a returned typed array). */
function runOp(op: () => tf.Tensor): void {
  const y = op();
  y.dataSync();
  y.dispose();
}

function median(run: () => void, repeats: number): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function row(name: string, floatMs: number, bwnMs: number, xnorMs: number): string {
  const ms = (v: number) => v.toFixed(2).padStart(8);
  const ratio = (v: number) => `${v.toFixed(2)}x`.padStart(10);
  return `${name.padEnd(6)} ${ms(floatMs)} ${ms(bwnMs)} ${ms(xnorMs)} ${ratio(floatMs / bwnMs)} ${ratio(floatMs / xnorMs)}`;
}

async function endToEnd(repeats: number): Promise<void> {
  console.log('\nend to end: sketch-a-net-xnor (225x225, 250 classes), ms per image');
  const float = buildModel('sketch-a-net-xnor', { classes: 250 });
  randomizeBatchNormStatistics(float);
  const vanilla = buildModel('sketch-a-net', { classes: 250 });
  const { model: packed } = packModel(float);
  // conv1 alone: the float layer every variant keeps, which bounds the end-to-end gain
  const conv1 = tfl.model({ inputs: vanilla.inputs, outputs: vanilla.getLayer('pool1').output as tfl.SymbolicTensor });
  console.log('batch  vanilla  xnor-float  xnor-packed  conv1+pool  vanilla/packed  xnor-float/packed');
  for (const batch of [1, 8]) {
    const x = tf.randomNormal([batch, 225, 225, 1]);
    const per = (model: tfl.LayersModel) => median(() => runOp(() => model.predict(x) as tf.Tensor), repeats) / batch;
    const v = per(vanilla);
    const f = per(float);
    const p = per(packed);
    const c = per(conv1);
    console.log(
      `${String(batch).padStart(5)} ${v.toFixed(1).padStart(8)} ${f.toFixed(1).padStart(11)} ${p.toFixed(1).padStart(12)} ${c.toFixed(1).padStart(10)} ` +
        `${(v / p).toFixed(2).padStart(14)}x ${(f / p).toFixed(2).padStart(17)}x`,
    );
    x.dispose();
    const peer = await runTorchPeer({ batch, threads: 1, steps: 3 });
    if ('skipped' in peer) console.log(`       PyTorch peer skipped: ${peer.skipped}`);
    else
      console.log(
        `       PyTorch ${peer.version} float forward: ${peer.forwardMsPerImage.toFixed(1)} ms/image; PyTorch / packed = ${(peer.forwardMsPerImage / p).toFixed(2)}x` +
          `  (${torchPeerCommand({ batch, threads: 1, steps: 3 }).join(' ')})`,
      );
  }
}

async function main(): Promise<void> {
  await useBackend('wasm');
  const repeats = Number(process.env.BENCH_REPEATS ?? 7);
  console.log(`backend: wasm (SIMD, 1 thread), ${repeats} repeats, median ms per call`);
  for (const batch of [1, 8]) {
    console.log(`\nbatch ${batch}`);
    console.log('layer  float ms  bwn ms  xnor ms  float/bwn  float/xnor');
    let floatTotal = 0;
    let bwnTotal = 0;
    let xnorTotal = 0;
    for (const layer of LAYERS) {
      const { size, inChannels: c, outChannels: o, k } = layer;
      const x = tf.randomNormal([batch, size, size, c]) as tf.Tensor4D;
      const w = tf.randomNormal([k, k, c, o]) as tf.Tensor4D;
      const packed = packKernel(w.dataSync(), k, k, c, o);
      const kernelBits = tf.tensor2d(new Int32Array(packed.rows.bits.buffer), [o, packedWordsPerFilter(k, k, c)], 'int32');
      const alpha = tf.ones([o]);
      // BWN: float input, a +-1 kernel scaled per filter (PackedConv2D's 'bwn' mode)
      const signKernel = tf.tidy(() => tf.where(tf.greaterEqual(w, 0), tf.onesLike(w), tf.neg(tf.onesLike(w)))) as tf.Tensor4D;
      const floatMs = median(() => runOp(() => tf.conv2d(x, w, layer.stride, layer.padding)), repeats);
      const bwnMs = median(() => runOp(() => tf.tidy(() => tf.mul(tf.conv2d(x, signKernel, layer.stride, layer.padding), alpha))), repeats);
      const xnorMs = median(
        () =>
          runOp(() =>
            xnorConv2d(x, { kernelBits, alpha }, { kh: k, kw: k, inChannels: c, strides: [layer.stride, layer.stride], padding: layer.padding, padValue: 1 }),
          ),
        repeats,
      );
      floatTotal += floatMs;
      bwnTotal += bwnMs;
      xnorTotal += xnorMs;
      console.log(row(layer.name, floatMs, bwnMs, xnorMs));
      tf.dispose([x, w, kernelBits, alpha, signKernel]);
    }
    console.log(row('total', floatTotal, bwnTotal, xnorTotal));
  }
  await endToEnd(Math.max(3, Math.ceil(repeats / 2)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
