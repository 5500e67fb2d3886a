// Which sketches go into batch (epoch, batchIndex), and with which seeds. Pure: everything is derived from
// (seed, epoch, sample index), never from timing or worker order, so any worker count and any resume point
// give the same batches.
/** One batch's work: the sketches (indices into the stream's sketch list) and each sample's RNG seed. */
export interface BatchJob {
  epoch: number;
  batchIndex: number;
  indices: Int32Array;
  seeds: Uint32Array;
}

export interface BatchPlanOptions {
  sampleCount: number;
  batchSize: number;
  seed: number;
  shuffle: boolean;
  dropLast: boolean;
}

export interface BatchPlan {
  readonly batchesPerEpoch: number;
  job(epoch: number, batchIndex: number): BatchJob;
}

// Distinct streams of seeds for the epoch permutation and for the samples.
const SHUFFLE_STREAM = 0x5348;
const SAMPLE_STREAM = 0x534d;

/** A 32-bit seed mixed from integers (murmur3's finalizer per part): nearby inputs give unrelated seeds. */
export function deriveSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    for (const word of [part >>> 0, Math.floor(part / 2 ** 32) >>> 0]) {
      hash = Math.imul(hash ^ word, 0x85ebca6b);
      hash ^= hash >>> 13;
      hash = Math.imul(hash, 0xc2b2ae35);
      hash ^= hash >>> 16;
    }
  }
  return hash >>> 0;
}

/**
 * The order of the samples in `epoch`: identity, or a Fisher-Yates permutation whose draws are hashes of
 * (seed, epoch, step), so it needs no generator state (the modulo bias, n / 2^32, is negligible).
 */
export function epochOrder(sampleCount: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = Int32Array.from({ length: sampleCount }, (_, index) => index);
  if (!shuffle) return order;
  for (let i = sampleCount - 1; i > 0; i--) {
    const j = deriveSeed(seed, SHUFFLE_STREAM, epoch, i) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The seed of one sample's augmentation RNG in one epoch. */
export function sampleSeed(seed: number, epoch: number, sampleIndex: number): number {
  return deriveSeed(seed, SAMPLE_STREAM, epoch, sampleIndex);
}

export function createBatchPlan(options: BatchPlanOptions): BatchPlan {
  const { sampleCount, batchSize, seed, shuffle, dropLast } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be an integer >= 1, got ${batchSize}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const batchesPerEpoch = dropLast ? Math.floor(sampleCount / batchSize) : Math.ceil(sampleCount / batchSize);
  if (batchesPerEpoch === 0) throw new Error(`no batches: ${sampleCount} sample(s) with batchSize ${batchSize}${dropLast ? ' and dropLast' : ''}`);
  let cached: { epoch: number; order: Int32Array } | undefined;
  return {
    batchesPerEpoch,
    job(epoch, batchIndex) {
      checkPosition(epoch, batchIndex, batchesPerEpoch);
      if (cached?.epoch !== epoch) cached = { epoch, order: epochOrder(sampleCount, seed, epoch, shuffle) };
      const indices = cached.order.slice(batchIndex * batchSize, Math.min(sampleCount, (batchIndex + 1) * batchSize));
      const seeds = Uint32Array.from(indices, (index) => sampleSeed(seed, epoch, index));
      return { epoch, batchIndex, indices, seeds };
    },
  };
}

export function checkPosition(epoch: number, batchIndex: number, batchesPerEpoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch must be an integer >= 0, got ${epoch}`);
  if (!Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex >= batchesPerEpoch) {
    throw new Error(`batch index ${batchIndex} is outside [0, ${batchesPerEpoch}) (batches per epoch)`);
  }
}
