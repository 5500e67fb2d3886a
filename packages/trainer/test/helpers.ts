// Test fixtures: a tiny seeded model and a deterministic synthetic 3-class problem (a bright bar whose row
// band depends on the class, plus noise), so training tests are fast and reproducible.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, TrainingDataSource } from '../src/index.js';

export const SIZE = 8;
export const CLASSES = 3;

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') throw new Error('the cpu backend did not start');
}

/** Conv + BatchNorm + dropout + dense: trainable and non-trainable weights and random masks, all in a few hundred parameters. */
export function tinyModel(seed = 1, options: { dropout?: number } = {}): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 4, kernelSize: 3, kernelInitializer: tfl.initializers.heNormal({ seed }) }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: options.dropout ?? 0.2 }),
      tfl.layers.dense({ units: CLASSES, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A drawing of class `label`: a bar in the label's band of rows, shifted by up to one row; `flip` mirrors it left-right. */
function drawSample(out: Float32Array, offset: number, label: number, random: () => number, shift: number, flip = false): void {
  const row = 1 + label * 2 + shift;
  const start = Math.floor(random() * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const onBar = y === row && x >= start && x < start + 5;
      out[offset + y * SIZE + (flip ? SIZE - 1 - x : x)] = (onBar ? 1 : 0) + 0.15 * (random() - 0.5);
    }
  }
}

export function syntheticBatch(seed: number, size: number): Batch {
  const random = rng(seed);
  const images = new Float32Array(size * SIZE * SIZE);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    labels[i] = Math.floor(random() * CLASSES);
    drawSample(images, i * SIZE * SIZE, labels[i]!, random, Math.floor(random() * 2));
  }
  return { images, labels, size, height: SIZE, width: SIZE, channels: 1 };
}

/** Test batches with `views` views per sample (view 0 = center, then shifted and flipped variants). */
export function syntheticTestBatch(seed: number, size: number, views: number): Batch {
  const random = rng(seed);
  const images = new Float32Array(size * views * SIZE * SIZE);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    labels[i] = Math.floor(random() * CLASSES);
    for (let v = 0; v < views; v++) drawSample(images, (i * views + v) * SIZE * SIZE, labels[i]!, random, v % 2, v >= 5);
  }
  return { images, labels, size, height: SIZE, width: SIZE, channels: 1, views };
}

/** Deterministic per (epoch, batch), restartable anywhere: what exact resume needs from a data stream. */
export function syntheticSource(batchesPerEpoch: number, batchSize: number, options: { delayMs?: number } = {}): TrainingDataSource {
  return {
    batchesPerEpoch,
    async *batches(epoch: number, startBatch: number) {
      for (let b = startBatch; b < batchesPerEpoch; b++) {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        yield syntheticBatch(1000 * epoch + b + 1, batchSize);
      }
    },
  };
}

/** The run both halves of the resume tests share: 3 epochs of 5 batches, dropout on, decaying rate. */
export function resumeScenario(maxSteps: number, runDir: string, options: { delayMs?: number } = {}) {
  return {
    trainData: syntheticSource(5, 4, options),
    epochs: 3,
    maxSteps,
    runDir,
    seed: 7,
    learningRate: { initialLearningRate: 0.02, decayRate: 0.5, decaySteps: 4 },
    optimizer: { weightDecay: 1e-3, clipGradientNorm: 5 },
  };
}

export function weightsOf(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sketch-xnor-trainer-${prefix}-`));
}
