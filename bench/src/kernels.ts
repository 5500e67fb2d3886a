// nx run bench:kernels — per layer of Sketch-A-Net (225 input), the 1-bit kernels against the float kernels of the
// same backend, then end to end (batch 1 and 8) on real rendered sketches: the float vanilla and XNOR models, the
// packed bundle form with conv1 dense and with conv1 sparse (SparseConv2D, what exportRun writes), and the PyTorch
// float peer's forward on the same single thread, all measured in the same run. Prints medians and ratios.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packKernel, xnorConv2d, packedWordsPerFilter, packModel, nonzeroFraction, sparseConv2d, DEFAULT_MAX_DENSITY } from '@sketch-xnor/binary-ops';
import { openDataset, prepareTestViews } from '@sketch-xnor/data';
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

/**
 * Medians of several runs measured round-robin (a, b, c, a, b, c, ...), so that a change of machine load (this
 * machine is shared with training jobs) hits every run alike; also each repeat's times, for per-repeat ratios.
 */
function interleaved(runs: Array<() => void>, repeats: number): { medians: number[]; times: number[][] } {
  for (const run of runs) run();
  const times = runs.map(() => [] as number[]);
  for (let i = 0; i < repeats; i++) {
    runs.forEach((run, k) => {
      const t = performance.now();
      run();
      times[k]!.push(performance.now() - t);
    });
  }
  const mid = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { medians: times.map(mid), times };
}

/** "median (min-max)" of the per-repeat ratios a/b. */
function ratioSpread(a: number[], b: number[]): string {
  const ratios = a.map((v, i) => v / b[i]!).sort((x, y) => x - y);
  return `${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}x (${ratios[0]!.toFixed(1)}-${ratios.at(-1)!.toFixed(1)})`;
}

function row(name: string, floatMs: number, bwnMs: number, xnorMs: number): string {
  const ms = (v: number) => v.toFixed(2).padStart(8);
  const ratio = (v: number) => `${v.toFixed(2)}x`.padStart(10);
  return `${name.padEnd(6)} ${ms(floatMs)} ${ms(bwnMs)} ${ms(xnorMs)} ${ratio(floatMs / bwnMs)} ${ratio(floatMs / xnorMs)}`;
}

/** Center views (the first of prepareTestViews) of real sketches, one per category: ink 1 on blank paper. */
async function sketchViews(kind: 'quickdraw' | 'tu-berlin-png', dir: string, count: number): Promise<Float32Array[]> {
  const shared = process.env.SKETCH_XNOR_SHARED ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');
  const dataset = await openDataset({ kind, path: path.join(shared, 'data', dir), categories: kind === 'quickdraw' ? QUICKDRAW_CATEGORIES : undefined });
  const views: Float32Array[] = [];
  const seen = new Set<string>();
  for await (const sketch of dataset.sketches()) {
    if (seen.has(sketch.label)) continue;
    seen.add(sketch.label);
    views.push(prepareTestViews(sketch, { renderSize: 256, cropSize: 225, channels: 1, augment: false })[0]!);
    if (views.length === count) break;
  }
  if (views.length < count) throw new Error(`${dir}: found ${views.length} categories, the bench needs ${count}`);
  return views;
}

const QUICKDRAW_CATEGORIES = ['airplane', 'apple', 'bicycle', 'cat', 'clock', 'fish', 'house', 'tree'];

async function endToEnd(repeats: number): Promise<void> {
  console.log('\nend to end: sketch-a-net-xnor (225x225, 250 classes), ms per image, on real sketches rendered by the test pipeline');
  const float = buildModel('sketch-a-net-xnor', { classes: 250 });
  randomizeBatchNormStatistics(float);
  const vanilla = buildModel('sketch-a-net', { classes: 250 });
  const { model: packedDense } = packModel(float);
  const { model: packed } = packModel(float, { sparseFirstLayer: true });
  // conv1 + pool1 alone: the float layers every variant keeps, which bound the end-to-end gain
  const upToPool1 = (m: tfl.LayersModel) => tfl.model({ inputs: m.inputs, outputs: m.getLayer('pool1').output as tfl.SymbolicTensor });
  const conv1Dense = upToPool1(vanilla);
  const conv1Sparse = upToPool1(packed);
  const inputs = [
    { name: 'QuickDraw', views: await sketchViews('quickdraw', 'quickdraw-345', 8) },
    { name: 'TU-Berlin', views: await sketchViews('tu-berlin-png', 'tu-berlin-png-40', 8) },
  ];
  console.log('models run round-robin, medians; ratios: median of the per-repeat ratios (min-max)');
  console.log(
    'input      nonzero batch  vanilla xnor-float packed(dense conv1) packed(sparse conv1) conv1+pool dense  sparse  vanilla/packed       xnor-float/packed',
  );
  for (const batch of [1, 8]) {
    for (const { name, views } of inputs) {
      const values = new Float32Array(batch * 225 * 225);
      views.slice(0, batch).forEach((v, i) => values.set(v, i * v.length));
      const x = tf.tensor4d(values, [batch, 225, 225, 1]);
      const models = [vanilla, float, packedDense, packed, conv1Dense, conv1Sparse];
      const { medians, times } = interleaved(models.map((m) => () => runOp(() => m.predict(x) as tf.Tensor)), repeats);
      const [v, f, pd, p, cd, cs] = medians.map((t) => t / batch) as [number, number, number, number, number, number];
      const col = (value: number, width: number) => value.toFixed(1).padStart(width);
      console.log(
        `${name.padEnd(10)} ${nonzeroFraction(values).toFixed(3).padStart(7)} ${String(batch).padStart(5)} ${col(v, 8)} ${col(f, 10)} ${col(pd, 19)} ${col(p, 20)} ` +
          `${col(cd, 16)} ${col(cs, 7)}  ${ratioSpread(times[0]!, times[3]!).padEnd(19)} ${ratioSpread(times[1]!, times[3]!)}`,
      );
      x.dispose();
    }
    const peer = await runTorchPeer({ batch, threads: 1, steps: 3 });
    if ('skipped' in peer) console.log(`       PyTorch peer skipped: ${peer.skipped}`);
    else
      console.log(
        `       PyTorch ${peer.version} float forward: ${peer.forwardMsPerImage.toFixed(1)} ms/image` +
          `  (${torchPeerCommand({ batch, threads: 1, steps: 3 }).join(' ')})`,
      );
  }
}

/**
 * conv1 (225x225x1, 64 filters 15x15 stride 3, bias, ReLU) by scatter against XNNPACK's fused convolution, on inputs
 * with a growing nonzero fraction (pixels drawn at random): where they cross sets DEFAULT_MAX_DENSITY.
 */
function conv1Crossover(repeats: number): void {
  console.log(`\nconv1 crossover: sparse scatter (forced) vs dense fused conv2d, batch 1, ms; the kernel uses dense above ${DEFAULT_MAX_DENSITY}`);
  console.log('nonzero  dense ms  sparse ms  dense/sparse');
  const filter = tf.randomNormal([15, 15, 1, 64]) as tf.Tensor4D;
  const bias = tf.randomNormal([64]) as tf.Tensor1D;
  let seed = 1;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (const density of [0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 1]) {
    const values = new Float32Array(225 * 225).map(() => (random() < density ? random() : 0));
    const x = tf.tensor4d(values, [1, 225, 225, 1]);
    const { medians, times } = interleaved(
      [
        () => runOp(() => tf.fused.conv2d({ x, filter, bias, strides: 3, pad: 'valid', activation: 'relu' })),
        () => runOp(() => sparseConv2d(x, filter, bias, { strides: [3, 3], padding: 'valid', activation: 'relu', maxDensity: 1 })),
      ],
      repeats,
    );
    console.log(`${density.toFixed(2).padStart(7)} ${medians[0]!.toFixed(2).padStart(9)} ${medians[1]!.toFixed(2).padStart(10)}  ${ratioSpread(times[0]!, times[1]!)}`);
    x.dispose();
  }
  tf.dispose([filter, bias]);
}

async function main(): Promise<void> {
  await useBackend('wasm');
  const repeats = Number(process.env.BENCH_REPEATS ?? 7);
  console.log(`backend: wasm (SIMD, 1 thread), ${repeats} repeats, kernels run round-robin, median ms per call`);
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
      const { medians } = interleaved(
        [
          () => runOp(() => tf.conv2d(x, w, layer.stride, layer.padding)),
          () => runOp(() => tf.tidy(() => tf.mul(tf.conv2d(x, signKernel, layer.stride, layer.padding), alpha))),
          () =>
            runOp(() =>
              xnorConv2d(x, { kernelBits, alpha }, { kh: k, kw: k, inChannels: c, strides: [layer.stride, layer.stride], padding: layer.padding, padValue: 1 }),
            ),
        ],
        repeats,
      );
      const [floatMs, bwnMs, xnorMs] = medians as [number, number, number];
      floatTotal += floatMs;
      bwnTotal += bwnMs;
      xnorTotal += xnorMs;
      console.log(row(layer.name, floatMs, bwnMs, xnorMs));
      tf.dispose([x, w, kernelBits, alpha, signKernel]);
    }
    console.log(row('total', floatTotal, bwnTotal, xnorTotal));
  }
  conv1Crossover(Math.max(5, repeats));
  await endToEnd(Math.max(5, repeats));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
