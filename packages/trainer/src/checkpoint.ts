// Training checkpoints: the model's weights, Adam's moments and the loop's position, in one atomic file
// per run folder, with the previous one kept until the new one is complete.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
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

/** Reads and verifies a checkpoint file (see `checkpointFile(runDir)`); throws `CheckpointError` naming the file. */
export async function loadCheckpoint(file: string): Promise<LoadedCheckpoint> {
  const { meta, tensors } = await readCheckpointFile(file);
  const position = meta['position'] as TrainingPosition | undefined;
  const optimizer = meta['optimizer'] as AdamState | undefined;
  const weightCount = meta['weightCount'];
  const momentCount = meta['momentCount'];
  if (
    typeof position?.step !== 'number' ||
    optimizer?.name !== 'adam' ||
    typeof weightCount !== 'number' ||
    typeof momentCount !== 'number' ||
    tensors.length !== weightCount + 2 * momentCount
  ) {
    throw new CheckpointError(file, 'the header does not describe a training state (position, optimizer, weights and moments)');
  }
  return {
    file,
    position,
    optimizer,
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
