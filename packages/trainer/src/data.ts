// The shapes the trainer consumes. `Batch` matches @sketch-xnor/data's batch structurally, so the trainer
// needs no dependency on the data package (any producer of this shape works: tests, other loaders).

/** N images (N * views with multi-view test batches), row-major N x H x W x C, plus their labels. */
export interface Batch {
  images: Float32Array;
  labels: Int32Array;
  size: number;
  height: number;
  width: number;
  channels: number;
  /** Views per sample in test batches (10 in the Sketch-A-Net test): images are sample-major, view 0 is the center crop. */
  views?: number;
}

/** Training batches that can be restarted at any (epoch, batch) position, as exact resume needs. */
export interface TrainingDataSource {
  /** The batches of `epoch` from index `startBatch` on; the same (epoch, startBatch) must give the same batches. */
  batches(epoch: number, startBatch: number): AsyncIterable<Batch> | Iterable<Batch>;
  /** Batches per epoch when known (progress bars use it). */
  readonly batchesPerEpoch?: number;
  /** Extra state to store in checkpoints (JSON-serializable), handed back through `setState` on resume. */
  getState?(): unknown;
  setState?(state: unknown): void;
}

export type TrainingData = TrainingDataSource | ((epoch: number, startBatch: number) => AsyncIterable<Batch> | Iterable<Batch>);

/**
 * Test batches, read again at every evaluation: a function returning a fresh iterable, or a re-iterable
 * collection (an array, or an async iterable that starts over on each iteration, as data's BatchStream does).
 */
export type TestData = (() => AsyncIterable<Batch> | Iterable<Batch>) | Iterable<Batch> | AsyncIterable<Batch>;

export function toTrainingDataSource(data: TrainingData): TrainingDataSource {
  return typeof data === 'function' ? { batches: data } : data;
}

export function testBatches(data: TestData): AsyncIterable<Batch> | Iterable<Batch> {
  return typeof data === 'function' ? data() : data;
}

/** Throws a clear error when a batch's arrays do not match its declared shape or the model. */
export function checkBatch(batch: Batch, where: string, expected: { height?: number; width?: number; channels?: number; classes: number }): void {
  const views = batch.views ?? 1;
  const { size, height, width, channels } = batch;
  for (const [key, value] of Object.entries({ size, height, width, channels, views })) {
    if (!Number.isInteger(value) || value < (key === 'size' ? 0 : 1)) throw new Error(`${where}: batch.${key} must be a positive integer, got ${value}`);
  }
  if (!(batch.images instanceof Float32Array) || batch.images.length !== size * views * height * width * channels) {
    throw new Error(
      `${where}: batch.images has ${batch.images?.length} values, expected size*views*height*width*channels = ` +
        `${size}*${views}*${height}*${width}*${channels} = ${size * views * height * width * channels}`,
    );
  }
  if (!(batch.labels instanceof Int32Array) || batch.labels.length !== size) {
    throw new Error(`${where}: batch.labels must be an Int32Array of ${size} labels, got ${batch.labels?.length}`);
  }
  for (const [key, model] of [['height', expected.height], ['width', expected.width], ['channels', expected.channels]] as const) {
    if (model !== undefined && batch[key] !== model) throw new Error(`${where}: batch ${key} ${batch[key]} does not match the model input's ${model}`);
  }
  const bad = batch.labels.findIndex((label) => label < 0 || label >= expected.classes);
  if (bad >= 0) throw new Error(`${where}: label ${batch.labels[bad]} of sample ${bad} is outside [0, ${expected.classes}) (the model has ${expected.classes} classes)`);
}
