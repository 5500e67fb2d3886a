// Child process of wasm-threads-train.test.ts: trains a small seeded conv net with train() on wasm with THREADS
// threads (fixed once per process) into RUN_DIR for EPOCHS epochs (RESUME=1 continues from its checkpoint) and prints
// one JSON line: the threads wasm runs on and the SHA-256 of the trained weights.
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { lastValueFrom } from 'rxjs';
import { useBackend, wasmThreads } from '../../../backends/src/index.js';
import { train, type Batch } from '../../src/index.js';

const threads = Number(process.env.THREADS);
await useBackend('wasm', { threads });

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
function batch(seed: number, size = 16): Batch {
  const rnd = lcg(seed);
  const images = Float32Array.from({ length: size * 32 * 32 }, rnd);
  const labels = Int32Array.from({ length: size }, (_, i) => (seed + i) % 10);
  return { images, labels, size, height: 32, width: 32, channels: 1 };
}
const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
const model = tfl.sequential({
  layers: [
    tfl.layers.conv2d({ inputShape: [32, 32, 1], filters: 24, kernelSize: 5, strides: 2, activation: 'relu', kernelInitializer: init(1) }),
    tfl.layers.maxPooling2d({ poolSize: 3, strides: 2 }),
    tfl.layers.conv2d({ filters: 48, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
    tfl.layers.dropout({ rate: 0.3 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 10, kernelInitializer: init(3) }),
  ],
});
async function* batches(epoch: number, startBatch: number) {
  for (let b = startBatch; b < 4; b++) yield batch(epoch * 10 + b);
}
await lastValueFrom(
  train({
    model,
    trainData: { batches, batchesPerEpoch: 4 },
    testData: [batch(999, 8)],
    epochs: Number(process.env.EPOCHS),
    learningRate: 0.01,
    seed: 7,
    runDir: process.env.RUN_DIR!,
    resume: process.env.RESUME === '1',
  }),
);
const hash = createHash('sha256');
for (const w of model.getWeights()) hash.update(new Uint8Array((w.dataSync() as Float32Array).slice().buffer));
process.stdout.write(`${JSON.stringify({ threads: await wasmThreads(), weights: hash.digest('hex'), backend: tf.getBackend() })}\n`);
