// Training checkpoints: the model's weights, Adam's moments and the loop's position, in one atomic file
// per run folder, with the previous one kept until the new one is complete.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { basename, dirname, join } from 'node:path';
import type { Adam, AdamState } from './adam.js';
import { CheckpointError, encodeCheckpoint, readCheckpointFile, writeFileAtomic, type CheckpointDtype, type NamedTensorData } from './checkpoint-file.js';

export const CHECKPOINT_FILE = 'checkpoint.ckpt';
export const PREVIOUS_CHECKPOINT_FILE = 'checkpoint.previous.ckpt';

/** Running sums of the epoch in progress, so a resumed epoch reports the same means. */
export interface EpochTotals {
  lossSum: number;
  correct: number;
  samples: number;
  batches: number;
}

/** Where training stands: enough, with the weights and moments, to continue bit-identically. */
export interface TrainingPosition {
  /** Optimizer updates done so far (the global step). */
  step: number;
  /** Epoch in progress, 0-based. */
  epoch: number;
  /** Index of the next batch to train on within `epoch`. */
  batch: number;
  /** Learning rate of the last update. */
  learningRate: number;
  /** Seed of the trainer's own randomness (dropout masks). */
  seed: number;
  /** Whatever the training data source reported as its state (e.g. an RNG state), JSON-serializable. */
  dataState?: unknown;
  epochTotals: EpochTotals;
}

export interface LoadedCheckpoint {
  file: string;
  position: TrainingPosition;
  optimizer: AdamState;
  weights: NamedTensorData[];
  firstMoments: NamedTensorData[];
  secondMoments: NamedTensorData[];
}

type ModelWeight = LayersModel['weights'][number];

async function tensorData(value: tf.Tensor, name: string): Promise<NamedTensorData> {
  if (value.dtype !== 'float32' && value.dtype !== 'int32') throw new Error(`checkpoint: weight ${name} has unsupported dtype ${value.dtype}`);
  return { name, shape: value.shape.slice(), dtype: value.dtype as CheckpointDtype, data: (await value.data()) as Float32Array | Int32Array };
}

/** Writes `runDir/checkpoint.ckpt` atomically, keeping the one it replaces as `checkpoint.previous.ckpt`. Returns the path. */
export async function saveCheckpoint(runDir: string, model: LayersModel, optimizer: Adam, position: TrainingPosition): Promise<string> {
  const { first, second } = optimizer.getMoments();
  const tensors: NamedTensorData[] = await Promise.all([
    ...model.weights.map((w) => tensorData(w.read(), `weights/${w.originalName}`)),
    ...first.map((m, i) => tensorData(m, `adam.m/${model.trainableWeights[i]!.originalName}`)),
    ...second.map((v, i) => tensorData(v, `adam.v/${model.trainableWeights[i]!.originalName}`)),
  ]);
  const meta = { position, optimizer: optimizer.getState(), weightCount: model.weights.length, momentCount: first.length };
  const file = join(runDir, CHECKPOINT_FILE);
  await writeFileAtomic(file, encodeCheckpoint(meta as unknown as Record<string, unknown>, tensors), join(runDir, PREVIOUS_CHECKPOINT_FILE));
  return file;
}

/**
 * Reads and verifies a checkpoint file (see `checkpointFile(runDir)`); throws `CheckpointError` naming the file.
 * When the newest checkpoint of a run folder is bad, the error says whether `checkpoint.previous.ckpt` beside it is
 * intact and how to resume from it (its `previous` names it); nothing falls back to it silently.
 */
export async function loadCheckpoint(file: string): Promise<LoadedCheckpoint> {
  try {
    return await readTrainingState(file);
  } catch (error) {
    if (!(error instanceof CheckpointError) || basename(file) !== CHECKPOINT_FILE) throw error;
    throw await withPreviousHint(error, file);
  }
}

/** The error for a bad newest checkpoint, saying what state the previous one is in and how to resume from it. */
async function withPreviousHint(error: CheckpointError, file: string): Promise<CheckpointError> {
  const previous = join(dirname(file), PREVIOUS_CHECKPOINT_FILE);
  const reason = error.message.slice(`checkpoint ${file}: `.length);
  let intact: LoadedCheckpoint;
  try {
    intact = await readTrainingState(previous);
  } catch (previousError) {
    const why = previousError instanceof CheckpointError && /no such file/.test(previousError.message) ? 'there is none' : 'it is damaged too';
    return new CheckpointError(file, `${reason}; no earlier checkpoint to resume from (${previous}: ${why}): train the run again`);
  }
  const { step, epoch, batch } = intact.position;
  return new CheckpointError(
    file,
    `${reason}. The previous checkpoint ${previous} is intact (step ${step}, epoch ${epoch}, batch ${batch}): to resume from it, ` +
      `move it into place (mv ${previous} ${file}) and resume again, or pass it as the checkpoint to resume from`,
    previous,
  );
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What a header's meta must hold to be a training state: the position, Adam's state and the tensor counts. */
function describesTrainingState(meta: Record<string, unknown>, tensorCount: number): boolean {
  const position = meta['position'] as Record<string, unknown> | undefined;
  const totals = position?.['epochTotals'] as Record<string, unknown> | undefined;
  const optimizer = meta['optimizer'] as Record<string, unknown> | undefined;
  const { weightCount, momentCount } = meta;
  return (
    typeof position === 'object' &&
    position !== null &&
    isCount(position['step']) &&
    isCount(position['epoch']) &&
    isCount(position['batch']) &&
    isFiniteNumber(position['learningRate']) &&
    isFiniteNumber(position['seed']) &&
    typeof totals === 'object' &&
    totals !== null &&
    isFiniteNumber(totals['lossSum']) &&
    ['correct', 'samples', 'batches'].every((key) => isCount(totals[key])) &&
    optimizer?.['name'] === 'adam' &&
    ['beta1', 'beta2', 'epsilon'].every((key) => isFiniteNumber(optimizer[key])) &&
    isCount(optimizer['updates']) &&
    isCount(weightCount) &&
    isCount(momentCount) &&
    tensorCount === weightCount + 2 * momentCount
  );
}

async function readTrainingState(file: string): Promise<LoadedCheckpoint> {
  const { meta, tensors } = await readCheckpointFile(file);
  if (!describesTrainingState(meta, tensors.length)) {
    throw new CheckpointError(file, 'the header does not describe a training state (position, optimizer, weights and moments)');
  }
  const position = meta['position'] as TrainingPosition;
  const weightCount = meta['weightCount'] as number;
  const momentCount = meta['momentCount'] as number;
  return {
    file,
    position,
    optimizer: meta['optimizer'] as AdamState,
    weights: tensors.slice(0, weightCount),
    firstMoments: tensors.slice(weightCount, weightCount + momentCount),
    secondMoments: tensors.slice(weightCount + momentCount),
  };
}

/** Path of the latest checkpoint in a run folder. */
export function checkpointFile(runDir: string): string {
  return join(runDir, CHECKPOINT_FILE);
}

function checkCompatible(file: string, what: string, saved: readonly NamedTensorData[], current: readonly ModelWeight[]): void {
  if (saved.length !== current.length) {
    throw new CheckpointError(file, `has ${saved.length} ${what}, the model has ${current.length}: it was written for another model`);
  }
  saved.forEach((s, i) => {
    const c = current[i]!;
    if (s.shape.join(',') !== c.shape.join(',')) {
      throw new CheckpointError(file, `${what} ${i} (${s.name}) has shape [${s.shape}], the model's ${c.originalName} has [${c.shape}]: it was written for another model`);
    }
  });
}

/** Loads a checkpoint's weights into `model` and its moments into `optimizer`, after checking every shape. */
export function restoreCheckpoint(checkpoint: LoadedCheckpoint, model: LayersModel, optimizer: Adam): void {
  checkCompatible(checkpoint.file, 'weights', checkpoint.weights, model.weights);
  if (checkpoint.firstMoments.length > 0) checkCompatible(checkpoint.file, 'trainable weights', checkpoint.firstMoments, model.trainableWeights);
  tf.tidy(() => {
    const toTensor = (t: NamedTensorData) => tf.tensor(t.data, t.shape, t.dtype);
    model.weights.forEach((w, i) => w.write(toTensor(checkpoint.weights[i]!)));
    if (checkpoint.firstMoments.length > 0) {
      optimizer.setState(
        checkpoint.optimizer,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
        checkpoint.firstMoments.map(toTensor),
        checkpoint.secondMoments.map(toTensor),
      );
    }
  });
}
