// nx run bench:data — samples/s of the full augmented pipeline (stroke augmentation, render at 256, random
// 225 crop + flip) on real Quick, Draw! drawings, with 1 and 2 worker threads (and in-process for reference),
// beside the images/s one training step consumes. The goal: the pipeline feeds training >= 5x faster than it eats.
//   --train-rate <images/s>   the consumption rate (e.g. from `nx run bench:train-step`); measured here otherwise
//   --seconds <s>             time per pipeline configuration (default 6)
//   --train-steps <n>         timed trainer steps when measuring the consumption here (default 3)
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { filter, lastValueFrom, toArray } from 'rxjs';
import { collectSketches, createBatchStream, openDataset, type Batch, type SampleOptions, type Sketch } from '@sketch-xnor/data';
import { streamRate } from './stream-rate.js';

const CATEGORIES = ['cat', 'dog', 'bicycle', 'The Eiffel Tower', 'airplane', 'tree', 'house', 'fish', 'car', 'flower'];
const PER_CATEGORY = 100;
const BATCH_SIZE = 32;
const SAMPLE = { renderSize: 256, cropSize: 225, channels: 1 } satisfies SampleOptions;

const { values: flags } = parseArgs({
  options: { 'train-rate': { type: 'string' }, seconds: { type: 'string', default: '6' }, 'train-steps': { type: 'string', default: '3' } },
});
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const shared = process.env.SKETCH_XNOR_SHARED ?? resolve(repoRoot, '../shared');

async function loadSketches(): Promise<Sketch[]> {
  const dataset = await openDataset({ kind: 'quickdraw', path: join(shared, 'data', 'quickdraw-345'), categories: CATEGORIES });
  return collectSketches(dataset.sketches(), { perCategory: PER_CATEGORY });
}

/** Samples per second over about `seconds`, after one warm-up batch (worker start-up is not counted). */
function pipelineRate(sketches: Sketch[], workers: number, seconds: number) {
  return streamRate(createBatchStream({ sketches, categories: CATEGORIES, sample: SAMPLE, batchSize: BATCH_SIZE, epochs: Infinity, seed: 1, workers }), seconds);
}

async function firstBatch(sketches: Sketch[]): Promise<Batch> {
  const stream = createBatchStream({ sketches, categories: CATEGORIES, sample: SAMPLE, batchSize: BATCH_SIZE, workers: 0 });
  for await (const batch of stream) return batch;
  throw new Error('no batch');
}

/**
 * Images/s that training consumes: the trainer's own step (forward, backward, Adam, latent clipping) on
 * Sketch-A-Net XNOR at 225x225, fed one real batch repeatedly; the median of the steps after the first.
 */
async function measureTrainRate(batch: Batch, steps: number): Promise<{ rate: number; how: string }> {
  const [{ train }, { buildModel }, { useBackend }] = await Promise.all([import('@sketch-xnor/trainer'), import('@sketch-xnor/models'), import('@sketch-xnor/backends')]);
  const backend = await useBackend('wasm').catch(() => useBackend('cpu'));
  const model = buildModel('sketch-a-net-xnor', { classes: CATEGORIES.length, inputSize: SAMPLE.cropSize, channels: SAMPLE.channels });
  const events = await lastValueFrom(
    train({ model, trainData: () => Array.from({ length: steps + 1 }, () => batch), epochs: 1, learningRate: 1e-3 }).pipe(
      filter((event) => event.type === 'step'),
      toArray(),
    ),
  );
  const rates = events.slice(1).map((event) => (event as { imagesPerSecond: number }).imagesPerSecond).sort((a, b) => a - b);
  model.dispose();
  return { rate: rates[Math.floor(rates.length / 2)]!, how: `measured: median of ${rates.length} trainer steps, sketch-a-net-xnor, batch ${batch.size}, ${backend} backend` };
}

async function main(): Promise<void> {
  const seconds = Number(flags.seconds);
  const sketches = await loadSketches();
  console.log(`data pipeline: ${sketches.length} Quick, Draw! sketches (${CATEGORIES.length} categories), render ${SAMPLE.renderSize}, crop ${SAMPLE.cropSize}, batches of ${BATCH_SIZE}, ${seconds} s each`);
  const rates = new Map<number, number>();
  for (const workers of [0, 1, 2]) {
    const { rate, workers: workersUsed, note } = await pipelineRate(sketches, workers, seconds);
    rates.set(workers, rate);
    const label = workers === 0 ? 'in-process' : `${workers} worker${workers > 1 ? 's' : ''}`;
    console.log(`${label.padEnd(11)} ${rate.toFixed(1).padStart(8)} samples/s${workersUsed !== workers ? `  (ran with ${workersUsed}: ${note})` : ''}`);
  }
  const given = flags['train-rate'] ?? process.env.BENCH_TRAIN_RATE;
  const train = given !== undefined ? { rate: Number(given), how: 'given with --train-rate' } : await measureTrainRate(await firstBatch(sketches), Number(flags['train-steps']));
  if (!(train.rate > 0)) throw new Error(`--train-rate must be a positive number of images/s, got ${given}`);
  console.log(`training consumes ${train.rate.toFixed(1)} images/s (${train.how})`);
  for (const workers of [1, 2]) {
    const ratio = rates.get(workers)! / train.rate;
    console.log(`${workers} worker${workers > 1 ? 's' : ' '}: pipeline / training = ${ratio.toFixed(1)}x ${ratio >= 5 ? '(goal >= 5x met)' : '(below the 5x goal)'}`);
  }
}

await main();
