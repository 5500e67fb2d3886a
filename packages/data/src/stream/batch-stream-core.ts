// The batch stream: sketches in memory -> (worker pool) augment, rasterize, crop/flip -> batches, pulled by the
// consumer through a bounded buffer. Reproducible: batch (epoch, batchIndex) is the same for any worker count
// and any starting point. Browser-safe: how batches are prepared (worker threads in Node, in-process in a
// browser) is the platform's, batch-stream.ts and batch-stream-browser.ts.
import { from, type Observable } from 'rxjs';
import type { SampleOptions } from '../sample.js';
import type { Sketch } from '../types.js';
import type { BatchSetup } from './assemble.js';
import type { BatchRunner } from './in-process.js';
import type { StreamSampleOptions } from './pipeline.js';
import { checkPosition, createBatchPlan, type BatchJob, type BatchPlan } from './plan.js';

/** N samples as N x H x W x C floats (N x views x H x W x C for test batches), plus their label indices. */
export interface Batch {
  images: Float32Array;
  labels: Int32Array;
  size: number;
  height: number;
  width: number;
  channels: number;
  /** Views per sample in test batches (10: center crop first); absent for training batches. */
  views?: number;
  /** Where the batch stands in the run: resume with `start: { epoch, batchIndex: batchIndex + 1 }`. */
  epoch: number;
  batchIndex: number;
  /** The samples' positions in `sketches`. */
  indices: Int32Array;
}

export interface BatchPosition {
  epoch: number;
  batchIndex: number;
}

/** `S`: the options of the per-sample pipeline, the package's `SampleOptions` unless `pipeline` names another. */
export interface BatchStreamOptions<S extends StreamSampleOptions = SampleOptions> {
  /** The split's sketches, held in memory and sent to each worker once. */
  sketches: readonly Sketch[];
  /** Label names in label-index order; default: the sorted distinct labels of `sketches`. */
  categories?: readonly string[];
  /** Options of the per-sample pipeline (render size, crop size, channels, augmentation). */
  sample: S;
  /**
   * The module (file URL or path; in a browser, a URL) that prepares samples, loaded in each worker: it exports
   * `createRng`, `prepareTrainingSample` and `prepareTestViews` like this package does. Default: this package.
   */
  pipeline?: string | URL;
  batchSize: number;
  /** `'train'`: one augmented view per sample; `'test'`: the 10 test views per sample, no shuffling. Default `'train'`. */
  mode?: 'train' | 'test';
  /** Epochs the iterator runs (epoch indices 0 .. epochs-1). Default 1. */
  epochs?: number;
  /** Shuffle each epoch (seeded by seed and epoch). Default: true in train mode, false in test mode. */
  shuffle?: boolean;
  seed?: number;
  /**
   * Worker threads; 0 prepares samples in-process. Default: available cores - 1, at most 4. The browser build
   * always prepares in-process (default 0; more is noted in `workerNote`).
   */
  workers?: number;
  /** Batches prepared ahead of the consumer, at most (the bounded buffer). Default: max(2, 2 x workers); 1 in-process. */
  prefetch?: number;
  /** Where the iterator starts, for an exact resume. Default epoch 0, batch 0. */
  start?: BatchPosition;
  /** Leave out an epoch's last, incomplete batch. Default false. */
  dropLast?: boolean;
}

export interface BatchStreamStats {
  /** Batches handed to the preparers so far. */
  scheduled: number;
  /** Batches handed to the consumer so far. */
  delivered: number;
  /** The most batches that were scheduled and not yet delivered at any time (never above `prefetch`). */
  maxBuffered: number;
}

export interface BatchStream extends AsyncIterable<Batch> {
  readonly batchesPerEpoch: number;
  readonly prefetch: number;
  /** Worker threads actually used (0 = in-process). */
  readonly workers: number;
  /** Why fewer workers than asked are used (for example: package not built, running in-process). */
  readonly workerNote?: string;
  /** The batches of one epoch from `startBatch` on (the trainer's `batches(epoch, startBatch)`). */
  batches(epoch: number, startBatch?: number): AsyncIterable<Batch>;
  /** The iterator's batches as an Observable; it requests the next batch once a subscriber's `next` returns. */
  observable(): Observable<Batch>;
  stats(): BatchStreamStats;
  /** Stops the worker threads (after the batches being prepared); a later iteration starts new ones. */
  close(): Promise<void>;
}

/** How a platform prepares batches. */
export interface BatchPlatform {
  /** Worker count when the options give none. */
  defaultWorkers(): number;
  /** A runner for the stream's batches, with the `pipeline` option as given (undefined: the package's own). */
  createRunner(setup: BatchSetup, pipeline: string | URL | undefined, workers: number): BatchRunner;
}

const TEST_VIEWS = 10;

export function createBatchStreamOn<S extends StreamSampleOptions = SampleOptions>(platform: BatchPlatform, options: BatchStreamOptions<S>): BatchStream {
  const { sketches, sample, batchSize } = options;
  const mode = options.mode ?? 'train';
  if (mode !== 'train' && mode !== 'test') throw new Error(`mode must be 'train' or 'test', got ${String(mode)}`);
  const epochs = options.epochs ?? 1;
  if (!(Number.isInteger(epochs) || epochs === Infinity) || epochs < 1) throw new Error(`epochs must be an integer >= 1 (or Infinity), got ${epochs}`);
  const workers = options.workers ?? platform.defaultWorkers();
  // In-process preparation runs on the consumer's thread: preparing ahead would only delay the first batch.
  const prefetch = options.prefetch ?? (workers === 0 ? 1 : Math.max(2, 2 * workers));
  if (!Number.isInteger(prefetch) || prefetch < 1) throw new Error(`prefetch must be an integer >= 1, got ${prefetch}`);
  const labels = labelIndices(sketches, options.categories);
  const plan: BatchPlan = createBatchPlan({
    sampleCount: sketches.length,
    batchSize,
    seed: options.seed ?? 0,
    shuffle: options.shuffle ?? mode === 'train',
    dropLast: options.dropLast ?? false,
  });
  const start = options.start ?? { epoch: 0, batchIndex: 0 };
  checkPosition(start.epoch, start.batchIndex, plan.batchesPerEpoch);
  const { height, width, channels } = sampleShape(sample);
  const views = mode === 'test' ? TEST_VIEWS : 1;
  const setup: BatchSetup = { sketches, sample, mode, viewLength: height * width * channels, views };
  let runner: BatchRunner | undefined;
  const getRunner = () => (runner ??= platform.createRunner(setup, options.pipeline, workers));
  const stats: BatchStreamStats = { scheduled: 0, delivered: 0, maxBuffered: 0 };

  function toBatch(job: BatchJob, images: Float32Array): Batch {
    return {
      images,
      labels: Int32Array.from(job.indices, (index) => labels[index]),
      size: job.indices.length,
      height,
      width,
      channels,
      ...(mode === 'test' ? { views } : {}),
      epoch: job.epoch,
      batchIndex: job.batchIndex,
      indices: job.indices,
    };
  }

  /** Batches at the given positions, at most `prefetch` of them prepared ahead of the consumer. */
  async function* pull(positions: Iterator<BatchPosition>): AsyncGenerator<Batch> {
    const pending: { job: BatchJob; images: Promise<Float32Array> }[] = [];
    let exhausted = false;
    const topUp = () => {
      while (!exhausted && pending.length < prefetch) {
        const next = positions.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const job = plan.job(next.value.epoch, next.value.batchIndex);
        const images = getRunner().run(job);
        images.catch(() => {}); // rejections surface when the batch is awaited; an abandoned one must not crash the process
        pending.push({ job, images });
        stats.scheduled += 1;
        stats.maxBuffered = Math.max(stats.maxBuffered, stats.scheduled - stats.delivered);
      }
    };
    topUp();
    while (pending.length > 0) {
      const head = pending.shift()!;
      const images = await head.images;
      stats.delivered += 1;
      topUp(); // keep the preparers busy while the consumer works on this batch
      yield toBatch(head.job, images);
    }
  }

  function* positionsFrom(first: BatchPosition, endEpoch: number): Generator<BatchPosition> {
    for (let epoch = first.epoch; epoch < endEpoch; epoch++) {
      for (let batchIndex = epoch === first.epoch ? first.batchIndex : 0; batchIndex < plan.batchesPerEpoch; batchIndex++) {
        yield { epoch, batchIndex };
      }
    }
  }

  const stream: BatchStream = {
    batchesPerEpoch: plan.batchesPerEpoch,
    prefetch,
    get workers() {
      return getRunner().workers;
    },
    get workerNote() {
      return getRunner().note;
    },
    [Symbol.asyncIterator]: () => pull(positionsFrom(start, epochs)),
    batches(epoch, startBatch = 0) {
      checkPosition(epoch, startBatch, plan.batchesPerEpoch);
      return { [Symbol.asyncIterator]: () => pull(positionsFrom({ epoch, batchIndex: startBatch }, epoch + 1)) };
    },
    observable: () => from(stream),
    stats: () => ({ ...stats }),
    async close() {
      const closing = runner;
      runner = undefined;
      await closing?.close();
    },
  };
  return stream;
}

function labelIndices(sketches: readonly Sketch[], categories?: readonly string[]): Int32Array {
  const names = categories ?? [...new Set(sketches.map((sketch) => sketch.label))].sort();
  const indexOf = new Map(names.map((name, index) => [name, index]));
  return Int32Array.from(sketches, (sketch) => {
    const index = indexOf.get(sketch.label);
    if (index === undefined) throw new Error(`sketch ${sketch.id}: label "${sketch.label}" is not among the ${names.length} categories`);
    return index;
  });
}

/** The shape of one prepared view, with prepareTrainingSample's defaults (render 256, crop min(225, render), 1 channel). */
function sampleShape(sample: StreamSampleOptions): { height: number; width: number; channels: number } {
  const size = sample.cropSize ?? Math.min(225, sample.renderSize ?? 256);
  const channels = sample.channels ?? 1;
  return { height: size, width: size, channels };
}
