// The page the browser test drives: it runs the kernels training needs, and Adam steps of a small Sketch-A-Net,
// on the webgpu backend and on the cpu backend (the reference), and hands the arrays' differences back.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { buildModel } from '@sketch-xnor/models';
import { crossEntropyLoss } from '@sketch-xnor/trainer';
import { kernelCases, type KernelCase } from './kernel-cases.js';

/** Largest |got - want| over the largest |want|. */
function relativeDiff(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Infinity;
  let scale = 1e-12;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
  }
  return diff / scale;
}

/** Runs `compute` on a backend and reads its outputs back. */
async function on(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const outputs = tf.tidy(compute);
  const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outputs);
  return values;
}

export interface KernelResult {
  name: string;
  /** Per output (e.g. y, dx, dw): relative difference webgpu vs cpu. */
  diffs: Record<string, number>;
  /** Largest |value| of each cpu output, so the test can tell an all-zero output from a match. */
  scales: Record<string, number>;
}

async function compareKernels(seed: number, count: number): Promise<KernelResult[]> {
  const results: KernelResult[] = [];
  await useBackend('cpu'); // the cases work out their output shapes with tensors
  for (const kernelCase of kernelCases(seed, count)) results.push(await compareCase(kernelCase));
  return results;
}

async function compareCase({ name, outputs, compute }: KernelCase): Promise<KernelResult> {
  const got = await on('webgpu', compute);
  const want = await on('cpu', compute);
  const diffs: Record<string, number> = {};
  const scales: Record<string, number> = {};
  outputs.forEach((output, i) => {
    diffs[output] = relativeDiff(got[i]!, want[i]!);
    scales[output] = want[i]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  });
  return { name, diffs, scales };
}

export interface TrainingResult {
  backend: string;
  losses: number[];
  weights: Float32Array[];
  initial: Float32Array[];
  names: string[];
}

export interface TrainingSetup {
  classes: number;
  inputSize: number;
  width: number;
  batch: number;
  learningRate: number;
}

/** Small, for SwiftShader's speed: Sketch-A-Net at 64 px keeps every layer, with an eighth of the channels. */
const DEFAULT_TRAINING: TrainingSetup = { classes: 10, inputSize: 64, width: 0.125, batch: 2, learningRate: 1e-3 };

/** Adam steps of a small Sketch-A-Net on a backend, from given initial weights and a seeded batch. */
async function trainSteps(backend: string, steps: number, setup: TrainingSetup, initial?: Float32Array[]): Promise<TrainingResult> {
  await useBackend(backend);
  const { classes, inputSize, width, batch, learningRate } = setup;
  const model = buildModel('sketch-a-net', { classes, inputSize, width, seed: 7, dropout: 0 }) as import('@tensorflow/tfjs-layers').LayersModel;
  if (initial) model.setWeights(initial.map((values, i) => tf.tensor(values, model.weights[i]!.shape)));
  // async reads only: webgpu's dataSync in a page goes through a canvas, which lost SwiftShader's device
  const start = await Promise.all(model.getWeights().map(async (w) => (await w.data()).slice() as Float32Array));
  const images = tf.randomUniform([batch, inputSize, inputSize, 1], 0, 1, 'float32', 11) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 3 + 1) % classes), 'int32');
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // tfjs's Adam, not the trainer's: that one reads the gradient norm back with dataSync, which webgpu can only do in
  // a page through a canvas (it lost SwiftShader's device) and not at all in Node (no OffscreenCanvas)
  const adam = tf.train.adam(learningRate);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = tf.variableGrads(
      () => crossEntropyLoss(tf.reshape(model.apply(images, { training: true }) as tf.Tensor, [batch, classes]) as tf.Tensor2D, labels),
      variables,
    );
    adam.applyGradients(grads);
    // read back before the next step: SwiftShader lost the device with many steps in flight
    losses.push((await value.data())[0]!);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  const names = model.weights.map((w) => w.originalName);
  tf.dispose([images, labels]);
  model.dispose();
  adam.dispose();
  return { backend, losses, weights, initial: start, names };
}

/** Both backends from the cpu model's initial weights (initializers need not agree across backends). */
async function compareTraining(steps: number, setup: TrainingSetup = DEFAULT_TRAINING) {
  const cpu = await trainSteps('cpu', steps, setup);
  const webgpu = await trainSteps('webgpu', steps, setup, cpu.initial);
  const weights = cpu.names.map((name, i) => {
    let moved = 0;
    let diff = 0;
    for (let j = 0; j < cpu.weights[i]!.length; j++) {
      moved = Math.max(moved, Math.abs(cpu.weights[i]![j]! - cpu.initial[i]![j]!));
      diff = Math.max(diff, Math.abs(webgpu.weights[i]![j]! - cpu.weights[i]![j]!));
    }
    return { name, size: cpu.weights[i]!.length, moved, diff };
  });
  return { cpuLosses: cpu.losses, webgpuLosses: webgpu.losses, weights };
}

async function webgpuInfo() {
  const adapter = await (navigator as Navigator & { gpu: GPU }).gpu.requestAdapter();
  const active = await useBackend('webgpu');
  return { active, engine: tf.getBackend(), adapter: adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none' };
}

Object.assign(globalThis, { compareKernels, compareTraining, webgpuInfo, trainingSetup: DEFAULT_TRAINING, pageReady: true });
