// nx run bench:train-step — full Sketch-A-Net (225x225x1, 250 classes) on the default backend: ms per image for the
// forward pass and for a whole training step (forward, backward, Adam), the same for the PyTorch peer measured in the
// same run, the ratio, and a per-kernel profile of one training step (where the time goes).
// Options (env): BENCH_BACKEND (wasm), BENCH_BATCH (8), BENCH_STEPS (3 timed steps after one warm-up).
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, DEFAULT_BACKEND } from '@sketch-xnor/backends';
import { buildModel } from '@sketch-xnor/models';
import { runTorchPeer, torchPeerCommand } from './torch-peer.js';

const backendName = process.env.BENCH_BACKEND ?? DEFAULT_BACKEND;
const batch = Number(process.env.BENCH_BATCH ?? 8);
const steps = Number(process.env.BENCH_STEPS ?? 3);
const SKETCH_A_NET_PARAMS = 8_508_666;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ms of `run` over `steps` calls after one warm-up call. */
function timeIt(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Threads the wasm backend runs on (1 in Node, where its threads do not start). */
async function backendThreads(): Promise<number> {
  if (backendName !== 'wasm') return 1;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}

interface KernelTotal {
  key: string;
  ms: number;
  calls: number;
}

function totals(kernels: tf.ProfileInfo['kernels'], keyOf: (k: tf.ProfileInfo['kernels'][number]) => string): KernelTotal[] {
  const byKey = new Map<string, KernelTotal>();
  for (const k of kernels) {
    const key = keyOf(k);
    const entry = byKey.get(key) ?? { key, ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs);
    entry.calls++;
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => b.ms - a.ms);
}

function printTable(title: string, rows: KernelTotal[], total: number, limit: number): void {
  console.log(`\n${title}`);
  for (const r of rows.slice(0, limit)) {
    console.log(`  ${r.ms.toFixed(1).padStart(8)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${String(r.calls).padStart(4)}x  ${r.key}`);
  }
}

const isConv = (name: string) => name.startsWith('Conv2D') || name.startsWith('FusedConv2D');

async function main(): Promise<void> {
  await useBackend(backendName);
  const threads = await backendThreads();
  const model = buildModel('sketch-a-net', { classes: 250, inputSize: 225 }) as tf.LayersModel;
  const params = model.countParams();
  if (params !== SKETCH_A_NET_PARAMS) throw new Error(`expected ${SKETCH_A_NET_PARAMS} parameters in Sketch-A-Net, built ${params}`);
  const x = tf.randomUniform([batch, 225, 225, 1], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 37) % 250), 'int32'), 250);
  const optimizer = tf.train.adam(1e-3);

  const forward = () => {
    const y = model.predict(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
  };
  const trainStep = () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    );
    loss!.dataSync();
    loss!.dispose();
  };

  console.log(`Sketch-A-Net 225x225x1, 250 classes, ${params.toLocaleString('en')} parameters; batch ${batch}, median of ${steps} steps`);
  console.log(`backend ${tf.getBackend()} (${threads} thread${threads === 1 ? '' : 's'})`);
  const forwardMs = timeIt(forward) / batch;
  const trainMs = timeIt(trainStep) / batch;
  console.log(`  forward     ${forwardMs.toFixed(1).padStart(8)} ms/image`);
  console.log(`  train step  ${trainMs.toFixed(1).padStart(8)} ms/image (forward, backward, Adam)`);

  const peerOptions = { batch, threads };
  console.log(`\nPyTorch peer: ${torchPeerCommand(peerOptions).join(' ')}`);
  const peer = await runTorchPeer(peerOptions);
  if ('skipped' in peer) {
    console.log(`  skipped: ${peer.skipped}; no ratio`);
  } else {
    console.log(`  torch ${peer.version}, ${peer.threads} thread(s)`);
    console.log(`  forward     ${peer.forwardMsPerImage.toFixed(1).padStart(8)} ms/image`);
    console.log(`  train step  ${peer.trainMsPerImage.toFixed(1).padStart(8)} ms/image`);
    console.log(`\nratio ${tf.getBackend()} / PyTorch (lower is better, 1 = as fast):`);
    console.log(`  forward     ${(forwardMs / peer.forwardMsPerImage).toFixed(2)}x`);
    console.log(`  train step  ${(trainMs / peer.trainMsPerImage).toFixed(2)}x`);
  }

  const profile = await tf.profile(trainStep);
  const total = profile.kernels.reduce((sum, k) => sum + Number(k.kernelTimeMs), 0);
  console.log(`\nprofile of one training step: ${total.toFixed(0)} ms in ${profile.kernels.length} kernel calls`);
  printTable('by kernel', totals(profile.kernels, (k) => k.name), total, 14);
  printTable(
    'convolutions by shape (inputs -> output)',
    totals(
      profile.kernels.filter((k) => isConv(k.name)),
      (k) => `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')} -> [${k.outputShapes[0]}]`,
    ),
    total,
    24,
  );
  tf.dispose([x, labels]);
  optimizer.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
