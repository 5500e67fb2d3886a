// Sketch-A-Net training speed on WebGPU (Node + Dawn), with the PyTorch CUDA peer in the same run for a ratio.
// The entry that bench/gpu/run.sh bundles for the GPU machine with ../shared/gpu/prepare.sh; it also runs from
// source (npx tsx bench/src/gpu-train-step.ts), where a machine without a WebGPU adapter gets a clear error.
//   1. full Sketch-A-Net (225x225x1, 250 classes): ms/image of the forward pass and of a train step (forward,
//      backward, Adam) per --batches, medians of --steps after --warmup steps (shader compilation), with the peer
//      (`--peer torch_sketch_a_net.py --device cuda`, and with --cudnn-benchmark) and the ratios;
//   2. the train step with tfjs's own webgpu kernels in place of the project's (--kernels both, the default), and
//      a per-kernel profile of one train step at the largest batch (GPU timestamp queries where the device has them);
//      then binary inference: the XNOR-popcount XnorConv2D against the float conv2d on Sketch-A-Net's conv4;
//   3. a real training epoch on Quick, Draw! (--data: a folder of <category>.ndjson) through the project's batch
//      stream with --workers worker threads: images/s of the epoch, and the stream alone at those workers, so the
//      "the stream delivers at least twice what a GPU step consumes" check is printed by the same command.
// --data-only runs just the stream part (no GPU needed): `npx tsx bench/src/gpu-train-step.ts --data-only --workers 0,2`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { originalKernel, projectKernels, useBackend } from '@sketch-xnor/backends';
import { buildModel } from '@sketch-xnor/models';
import { packKernel, xnorConv2d } from '@sketch-xnor/binary-ops';
import { collectSketches, createBatchStream, openDataset, type BatchStreamOptions, type Sketch } from '@sketch-xnor/data';
import { parsePeerOutput, type TorchPeerResult } from './torch-peer.js';
import { streamRate } from './stream-rate.js';

const SIZE = 225;
const CLASSES = 250;
const SAMPLE = { renderSize: 256, cropSize: SIZE, channels: 1 } as const;
/** The Quick, Draw! categories of the epoch (bench/gpu/run.sh copies these files into the bundle: --print-categories). */
const EPOCH_CATEGORIES = [
  'airplane', 'apple', 'banana', 'bicycle', 'bird', 'butterfly', 'car', 'cat', 'chair', 'clock',
  'cup', 'dog', 'fish', 'flower', 'house', 'key', 'star', 'sun', 'tree', 'umbrella',
];

const { values: flags } = parseArgs({
  options: {
    batches: { type: 'string', default: '8,64' },
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    data: { type: 'string' },
    'epoch-batch': { type: 'string', default: '64' },
    workers: { type: 'string', default: String(Math.max(0, Math.min(16, availableParallelism() - 1))) },
    'stream-seconds': { type: 'string', default: '10' },
    peer: { type: 'string' },
    python: { type: 'string', default: process.env.PYTHON ?? 'python3' },
    'data-only': { type: 'boolean', default: false },
    'print-categories': { type: 'boolean', default: false },
    // 'both': the train step also with tfjs's own webgpu kernels in place of the project's, in the same run
    kernels: { type: 'string', default: 'both' },
    // another backend runs the same code for a smoke test where there is no GPU (e.g. --backend cpu --batches 1)
    backend: { type: 'string', default: 'webgpu' },
  },
});

const numbers = (text: string, flag: string): number[] => {
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`--${flag} takes integers >= 0 separated by commas, got "${text}"`);
  return values;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fixed = (value: number, digits = 2) => value.toFixed(digits).padStart(9);

// ---- 1. forward and train step -------------------------------------------------------------------------------

interface StepTimes {
  batch: number;
  forwardMsPerImage: number;
  trainMsPerImage: number;
}

/** One Adam step of `model` on (x, labels); resolves when the GPU is done (the loss has been read back). */
function trainStepOf(model: LayersModel, optimizer: tf.Optimizer) {
  return async (x: tf.Tensor, labels: tf.Tensor): Promise<number> => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    // async read: webgpu has no synchronous one in Node (dataSync needs OffscreenCanvas)
    const [value] = await loss.data();
    loss.dispose();
    return value!;
  };
}

/** Median ms of `run` over `steps` runs after `warmup` runs. */
async function timed(warmup: number, steps: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function stepTimes(batch: number, warmup: number, steps: number): Promise<StepTimes> {
  const model = buildModel('sketch-a-net', { classes: CLASSES, inputSize: SIZE, seed: 1 }) as LayersModel;
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, SIZE, SIZE, 1], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 37) % CLASSES), 'int32'), CLASSES);
  const forward = async () => {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  const step = trainStepOf(model, optimizer);
  let lastLoss = NaN;
  const forwardMs = await timed(warmup, steps, forward);
  const trainMs = await timed(warmup, steps, async () => (lastLoss = await step(x, labels)));
  if (!Number.isFinite(lastLoss)) throw new Error(`batch ${batch}: the loss is ${lastLoss}; the timings measured a broken step`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
  return { batch, forwardMsPerImage: forwardMs / batch, trainMsPerImage: trainMs / batch };
}

/**
 * Swaps the project's webgpu kernels for tfjs's own (`tfjs`) or back (`project`), so both are timed in one run.
 * Returns the kernel names swapped.
 */
const projectConfigs = new Map<string, KernelConfig>();
function useKernels(which: 'project' | 'tfjs'): string[] {
  const names: string[] = [];
  for (const { kernelName } of projectKernels('webgpu')) {
    const original = originalKernel(kernelName, 'webgpu');
    if (!original) continue;
    if (!projectConfigs.has(kernelName)) projectConfigs.set(kernelName, getKernel(kernelName, 'webgpu')!);
    unregisterKernel(kernelName, 'webgpu');
    registerKernel(which === 'tfjs' ? original : projectConfigs.get(kernelName)!);
    names.push(kernelName);
  }
  return names;
}

/**
 * Binary inference on webgpu: the XNOR-popcount XnorConv2D against the float convolution it replaces, on
 * Sketch-A-Net's conv4 (15x15x256 -> 256, 3x3 same), ms per image.
 */
async function xnorAgainstFloat(batch: number, warmup: number, steps: number): Promise<{ floatMs: number; xnorMs: number }> {
  const [h, c, k] = [15, 256, 3];
  const x = tf.randomUniform([batch, h, h, c], -1, 1, 'float32', 3) as tf.Tensor4D;
  const kernelValues = (await tf.randomUniform([k, k, c, c], -1, 1, 'float32', 4).data()) as Float32Array;
  const kernel = tf.tensor4d(kernelValues, [k, k, c, c]);
  const packed = packKernel(kernelValues, k, k, c, c);
  const weights = {
    kernelBits: tf.tensor2d(new Int32Array(packed.rows.bits.buffer), [c, packed.rows.bits.length / c], 'int32'),
    alpha: tf.ones([c]),
  };
  const attrs = { kh: k, kw: k, inChannels: c, strides: [1, 1] as [number, number], padding: 'same' as const, padValue: -1 as const };
  const run = (compute: () => tf.Tensor) => async () => {
    const y = compute();
    await y.data();
    y.dispose();
  };
  const floatMs = await timed(warmup, steps, run(() => tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same')));
  const xnorMs = await timed(warmup, steps, run(() => xnorConv2d(x, weights, attrs)));
  tf.dispose([x, kernel, weights.kernelBits, weights.alpha]);
  return { floatMs: floatMs / batch, xnorMs: xnorMs / batch };
}

// ---- 2. profile ------------------------------------------------------------------------------------------------

async function printProfile(batch: number): Promise<void> {
  const model = buildModel('sketch-a-net', { classes: CLASSES, inputSize: SIZE, seed: 1 }) as LayersModel;
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, SIZE, SIZE, 1], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % CLASSES), 'int32'), CLASSES);
  const step = trainStepOf(model, optimizer);
  await step(x, labels); // compile the shaders outside the profile
  const profile = await tf.profile(() => step(x, labels));
  const kernels = profile.kernels.map((k) => ({ ...k, ms: Number(k.kernelTimeMs) }));
  if (!kernels.some((k) => Number.isFinite(k.ms))) {
    console.log(`\nprofile: no kernel times (the device has no timestamp-query; ${JSON.stringify(profile.kernels[0]?.kernelTimeMs)})`);
  } else {
    const total = kernels.reduce((sum, k) => sum + (Number.isFinite(k.ms) ? k.ms : 0), 0);
    const byKey = (keyOf: (k: (typeof kernels)[number]) => string, only = (_: (typeof kernels)[number]) => true) => {
      const sums = new Map<string, { ms: number; calls: number }>();
      for (const k of kernels.filter(only)) {
        const entry = sums.get(keyOf(k)) ?? { ms: 0, calls: 0 };
        sums.set(keyOf(k), { ms: entry.ms + (Number.isFinite(k.ms) ? k.ms : 0), calls: entry.calls + 1 });
      }
      return [...sums].sort((a, b) => b[1].ms - a[1].ms);
    };
    const print = (rows: [string, { ms: number; calls: number }][], limit: number) =>
      rows.slice(0, limit).forEach(([key, { ms, calls }]) => console.log(`  ${fixed(ms)} ms ${fixed((100 * ms) / total, 1)}% ${String(calls).padStart(5)}x  ${key}`));
    console.log(`\nprofile of one train step at batch ${batch}: ${total.toFixed(1)} ms of GPU time in ${kernels.length} kernel calls`);
    console.log('by kernel');
    print(byKey((k) => k.name), 16);
    console.log('convolutions by shape (inputs -> output)');
    print(byKey((k) => `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')} -> [${k.outputShapes[0]}]`, (k) => k.name.includes('Conv2D')), 20);
  }
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
}

// ---- peer ------------------------------------------------------------------------------------------------------

function runPeer(script: string, batch: number, steps: number, cudnnBenchmark: boolean): Promise<TorchPeerResult> {
  const args = [script, '--device', 'cuda', '--batch', String(batch), '--steps', String(steps), ...(cudnnBenchmark ? ['--cudnn-benchmark'] : [])];
  console.log(`  ${flags.python} ${args.join(' ')}`);
  return new Promise((resolvePeer, reject) =>
    execFile(flags.python!, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`the PyTorch peer failed: ${error.message}\n${stderr.slice(-2000)}`)) : resolvePeer(parsePeerOutput(stdout)),
    ),
  );
}

// ---- 3. a real epoch, and the stream alone ---------------------------------------------------------------------

/** Inside the GPU bundle (one file, .gpu/app.mjs) the stream's worker and pipeline modules lie next to it. */
function bundledStreamOptions(): Partial<BatchStreamOptions> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return {};
  // piscina finds its own worker runtime at __dirname, which an ES module bundle lacks: run.sh ships it there
  const runtime = join(here, '..', 'piscina');
  if (existsSync(runtime)) Object.assign(globalThis, { __dirname: runtime });
  return { pipeline: new URL('./default-pipeline.js', import.meta.url) };
}

async function loadEpochSketches(dir: string): Promise<Sketch[]> {
  const categories = EPOCH_CATEGORIES.filter((c) => existsSync(join(dir, `${c}.ndjson`)));
  if (categories.length < 2) throw new Error(`--data ${dir}: expected Quick, Draw! files such as ${EPOCH_CATEGORIES[0]}.ndjson there, found ${categories.length}`);
  const dataset = await openDataset({ kind: 'quickdraw', path: dir, categories });
  const sketches = await collectSketches(dataset.sketches(), {});
  if (dataset.problems.length) console.log(`  ${dataset.problems.length} input problem(s), first: ${JSON.stringify(dataset.problems[0])}`);
  return sketches;
}

function streamOf(sketches: Sketch[], categories: string[], batchSize: number, workers: number, epochs: number) {
  return createBatchStream({ sketches, categories, sample: SAMPLE, batchSize, epochs, seed: 1, workers, ...bundledStreamOptions() });
}

/** Images/s of the stream alone over about `seconds`, after its first batch (worker start-up not counted). */
function streamRateOf(sketches: Sketch[], categories: string[], batchSize: number, workers: number, seconds: number) {
  return streamRate(streamOf(sketches, categories, batchSize, workers, Infinity), seconds);
}

/** One epoch of Sketch-A-Net training fed by the stream: images/s from the first step's end to the last's. */
async function epochRate(sketches: Sketch[], categories: string[], batchSize: number, workers: number) {
  const model = buildModel('sketch-a-net', { classes: categories.length, inputSize: SIZE, seed: 1 }) as LayersModel;
  const optimizer = tf.train.adam(1e-3);
  const step = trainStepOf(model, optimizer);
  const stream = streamOf(sketches, categories, batchSize, workers, 1);
  const losses: number[] = [];
  let images = 0;
  let start = 0;
  try {
    for await (const batch of stream) {
      const x = tf.tensor4d(batch.images, [batch.size, batch.height, batch.width, batch.channels]);
      const labels = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), categories.length);
      losses.push(await step(x, labels));
      tf.dispose([x, labels]);
      // the first step compiles the shaders: the clock starts after it
      if (start === 0) start = performance.now();
      else images += batch.size;
    }
  } finally {
    await stream.close();
    optimizer.dispose();
    model.dispose();
  }
  return { rate: (images * 1000) / (performance.now() - start), steps: losses.length, firstLoss: losses[0]!, lastLoss: losses[losses.length - 1]!, workers: stream.workers };
}

// ---- main ------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (flags['print-categories']) return console.log(EPOCH_CATEGORIES.join('\n'));
  const batches = numbers(flags.batches!, 'batches');
  const [steps, warmup] = [Number(flags.steps), Number(flags.warmup)];
  const workerCounts = numbers(flags.workers!, 'workers');
  const epochBatch = Number(flags['epoch-batch']);
  const dataDir = flags.data ?? defaultDataDir();
  /** ms/image of a train step, by batch size (part 1, reused by part 3) */
  const trainMs = new Map<number, number>();

  if (!flags['data-only']) {
    if (!['both', 'project', 'tfjs'].includes(flags.kernels!)) throw new Error(`--kernels takes both, project or tfjs, got "${flags.kernels}"`);
    // fails here (no adapter) with the reason, before anything is timed
    await useBackend(flags.backend);
    if (flags.kernels === 'tfjs') useKernels('tfjs');
    const adapter = await (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu?.requestAdapter();
    const info = (adapter as { info?: { vendor?: string; architecture?: string; description?: string } } | null | undefined)?.info;
    if (flags.backend === 'webgpu') console.log(`webgpu adapter: ${[info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' / ') || 'unknown'}; timestamp-query: ${adapter?.features.has('timestamp-query') ? 'yes' : 'no'}`);
    console.log(`Sketch-A-Net ${SIZE}x${SIZE}x1, ${CLASSES} classes, tf.train.adam; medians of ${steps} steps after ${warmup} warm-up steps`);
    if (flags.backend !== 'webgpu') console.log(`backend ${tf.getBackend()} (a smoke test: the figures are webgpu's)`);
    console.log(`kernels: ${flags.kernels === 'tfjs' ? "tfjs's own" : "the project's"}`);
    const ours = [];
    for (const batch of batches) {
      const times = await stepTimes(batch, warmup, steps);
      ours.push(times);
      console.log(`  batch ${String(batch).padStart(3)}: forward ${fixed(times.forwardMsPerImage)} ms/image, train step ${fixed(times.trainMsPerImage)} ms/image (${(1000 / times.trainMsPerImage).toFixed(0)} images/s)`);
    }
    for (const t of ours) trainMs.set(t.batch, t.trainMsPerImage);

    if (flags.peer) {
      console.log('\nPyTorch CUDA peer, same machine, same run:');
      for (const cudnnBenchmark of [false, true]) {
        for (const t of ours) {
          const peer = await runPeer(flags.peer, t.batch, steps, cudnnBenchmark);
          console.log(
            `  batch ${String(t.batch).padStart(3)}${cudnnBenchmark ? ' (cudnn.benchmark)' : ''}: torch ${peer.version} forward ${fixed(peer.forwardMsPerImage)} ms/image, ` +
              `train step ${fixed(peer.trainMsPerImage)} ms/image -> webgpu / torch: forward ${fixed(t.forwardMsPerImage / peer.forwardMsPerImage)}x, ` +
              `train step ${fixed(t.trainMsPerImage / peer.trainMsPerImage)}x (goal: <= 3x at batch 64)`,
          );
        }
      }
    } else {
      console.log('\nno --peer: no PyTorch ratio (pass --peer path/to/torch_sketch_a_net.py)');
    }
    if (flags.kernels === 'both') {
      const batch = Math.max(...batches);
      const swapped = flags.backend === 'webgpu' ? useKernels('tfjs') : [];
      const tfjs = await stepTimes(batch, warmup, steps);
      if (swapped.length) useKernels('project');
      const ours64 = ours.find((t) => t.batch === batch)!;
      console.log(
        `\nproject webgpu kernels (${swapped.join(', ') || 'none'}) against tfjs's own, train step at batch ${batch}: ` +
          `${fixed(ours64.trainMsPerImage)} vs ${fixed(tfjs.trainMsPerImage)} ms/image = ${(tfjs.trainMsPerImage / ours64.trainMsPerImage).toFixed(2)}x faster`,
      );
    }
    await printProfile(Math.max(...batches));
    const binary = await xnorAgainstFloat(Math.max(...batches), warmup, steps);
    console.log(
      `\nbinary inference, conv4 (15x15x256 -> 256, 3x3) at batch ${Math.max(...batches)}: XnorConv2D ${fixed(binary.xnorMs, 3)} ms/image, ` +
        `float conv2d ${fixed(binary.floatMs, 3)} ms/image (xnor ${(binary.floatMs / binary.xnorMs).toFixed(2)}x faster)`,
    );
  }

  if (!existsSync(dataDir)) {
    console.log(`\nno Quick, Draw! folder at ${dataDir} (--data): no epoch and no stream figures`);
    return;
  }
  const sketches = await loadEpochSketches(dataDir);
  const categories = [...new Set(sketches.map((s) => s.label))].sort();
  console.log(`\nQuick, Draw!: ${sketches.length} sketches of ${categories.length} categories from ${dataDir}; batches of ${epochBatch}, render ${SAMPLE.renderSize}, crop ${SIZE}, augmented`);
  for (const workers of workerCounts) {
    const stream = await streamRateOf(sketches, categories, epochBatch, workers, Number(flags['stream-seconds']));
    const line = [`  stream alone, ${workers} worker(s)${stream.workers !== workers ? ` (ran with ${stream.workers}: ${stream.note})` : ''}: ${fixed(stream.rate, 1)} images/s`];
    if (!flags['data-only']) {
      const epoch = await epochRate(sketches, categories, epochBatch, workers);
      if (!trainMs.has(epochBatch)) trainMs.set(epochBatch, (await stepTimes(epochBatch, warmup, steps)).trainMsPerImage);
      const gpuRate = 1000 / trainMs.get(epochBatch)!;
      line.push(
        `; training epoch fed by it: ${fixed(epoch.rate, 1)} images/s (${epoch.steps} steps, loss ${epoch.firstLoss.toFixed(3)} -> ${epoch.lastLoss.toFixed(3)})`,
        `; stream / GPU train step (${gpuRate.toFixed(0)} images/s at batch ${epochBatch}) = ${(stream.rate / gpuRate).toFixed(2)}x (goal >= 2x)`,
      );
    }
    console.log(line.join(''));
  }
}

/** Next to the GPU bundle: .gpu/quickdraw (run.sh copies it); from source: the shared data's full folder. */
function defaultDataDir(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return resolve('.gpu/quickdraw');
  const shared = process.env.SKETCH_XNOR_SHARED ?? resolve(here, '../../../../shared');
  return join(shared, 'data', 'quickdraw-345');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`gpu-train-step: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
