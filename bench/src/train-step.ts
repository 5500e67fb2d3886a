// nx run bench:train-step — full Sketch-A-Net (225x225x1, 250 classes) on the default backend: ms per image for the
// forward pass and for a whole training step (forward, backward, Adam) at 1 and 2 threads and at the machine's cores
// (wasm: XNNPACK's thread pool, `useBackend('wasm', { threads })`; one child process per thread count, since the
// count is fixed once per process), the speedup over 1 thread, the PyTorch peer at the same thread counts measured in
// the same run, the ratios, and a per-kernel profile of one training step at the most threads (where the time goes).
// Options (env): BENCH_BACKEND (wasm), BENCH_BATCH (8), BENCH_STEPS (3 timed steps after one warm-up),
// BENCH_THREADS (e.g. "1,2"; default 1, 2 and the cores, at most 8), BENCH_PROFILE (1; 0 skips the profile).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, DEFAULT_BACKEND, defaultThreads, wasmThreads } from '@sketch-xnor/backends';
import { buildModel } from '@sketch-xnor/models';
import { runTorchPeer, torchPeerCommand, type TorchPeerResult } from './torch-peer.js';

const backendName = process.env.BENCH_BACKEND ?? DEFAULT_BACKEND;
const batch = Number(process.env.BENCH_BATCH ?? 8);
const steps = Number(process.env.BENCH_STEPS ?? 3);
const childThreads = process.env.BENCH_CHILD_THREADS;
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

interface ChildResult {
  threads: number;
  forwardMs: number;
  trainMs: number;
}

/** One thread count, in this process: prints its lines and, last, a JSON line for the parent. */
async function measure(threadsAsked: number, profileIt: boolean): Promise<void> {
  await useBackend(backendName, backendName === 'wasm' ? { threads: threadsAsked } : {});
  const threads = (await wasmThreads()) ?? 1;
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

  const forwardMs = timeIt(forward) / batch;
  const trainMs = timeIt(trainStep) / batch;
  console.log(`backend ${tf.getBackend()} (${threads} thread${threads === 1 ? '' : 's'})`);
  console.log(`  forward     ${forwardMs.toFixed(1).padStart(8)} ms/image`);
  console.log(`  train step  ${trainMs.toFixed(1).padStart(8)} ms/image (forward, backward, Adam)`);

  if (profileIt) {
    const profile = await tf.profile(trainStep);
    const total = profile.kernels.reduce((sum, k) => sum + Number(k.kernelTimeMs), 0);
    console.log(`\nprofile of one training step on ${threads} thread(s): ${total.toFixed(0)} ms in ${profile.kernels.length} kernel calls`);
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
  }
  tf.dispose([x, labels]);
  optimizer.dispose();
  const result: ChildResult = { threads, forwardMs, trainMs };
  console.log(JSON.stringify(result));
}

function runChild(threads: number, profileIt: boolean): Promise<ChildResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...process.execArgv, script],
      { env: { ...process.env, BENCH_CHILD_THREADS: String(threads), BENCH_PROFILE: profileIt ? '1' : '0' }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const lines = stdout.trimEnd().split('\n');
        const json = lines.pop() ?? '';
        if (err || !json.startsWith('{')) return reject(new Error(`${threads} thread(s): ${err?.message ?? 'no result'}\n${stderr.slice(-2000)}`));
        console.log(lines.join('\n'));
        resolve(JSON.parse(json) as ChildResult);
      },
    );
  });
}

function threadCounts(): number[] {
  const asked = process.env.BENCH_THREADS?.split(',').map(Number) ?? [1, 2, defaultThreads()];
  if (asked.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_THREADS: whole numbers >= 1, got ${process.env.BENCH_THREADS}`);
  return backendName === 'wasm' ? [...new Set(asked)].sort((a, b) => a - b) : [1];
}

async function main(): Promise<void> {
  const counts = threadCounts();
  console.log(`Sketch-A-Net 225x225x1, 250 classes, ${SKETCH_A_NET_PARAMS.toLocaleString('en')} parameters; batch ${batch}, median of ${steps} steps`);
  console.log(`threads: ${counts.join(', ')} (one process each, one after the other)\n`);
  const results: ChildResult[] = [];
  const profileAt = process.env.BENCH_PROFILE === '0' ? -1 : counts.at(-1)!;
  for (const n of counts) results.push(await runChild(n, n === profileAt));

  const peers = new Map<number, TorchPeerResult>();
  for (const r of results) {
    const peerOptions = { batch, threads: r.threads };
    console.log(`\nPyTorch peer: ${torchPeerCommand(peerOptions).join(' ')}`);
    const peer = await runTorchPeer(peerOptions);
    if ('skipped' in peer) {
      console.log(`  skipped: ${peer.skipped}; no ratio`);
      break;
    }
    peers.set(r.threads, peer);
    console.log(`  torch ${peer.version}, ${peer.threads} thread(s): forward ${peer.forwardMsPerImage.toFixed(1)}, train step ${peer.trainMsPerImage.toFixed(1)} ms/image`);
  }

  const base = results[0]!;
  console.log(`\n${backendName} by threads (ms/image; speedup over ${base.threads} thread; ratio to PyTorch at the same threads, lower is better):`);
  console.log('  threads   forward  speedup  vs torch   train step  speedup  vs torch');
  for (const r of results) {
    const peer = peers.get(r.threads);
    const ratio = (ms: number, peerMs: number | undefined) => (peerMs ? `${(ms / peerMs).toFixed(2)}x` : '-').padStart(9);
    console.log(
      `  ${String(r.threads).padStart(7)} ${r.forwardMs.toFixed(1).padStart(9)} ${`${(base.forwardMs / r.forwardMs).toFixed(2)}x`.padStart(8)} ${ratio(r.forwardMs, peer?.forwardMsPerImage)}` +
        ` ${r.trainMs.toFixed(1).padStart(12)} ${`${(base.trainMs / r.trainMs).toFixed(2)}x`.padStart(8)} ${ratio(r.trainMs, peer?.trainMsPerImage)}`,
    );
  }
}

(childThreads ? measure(Number(childThreads), process.env.BENCH_PROFILE !== '0') : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
