import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  computeSaliency, decodePng, maximizeActivation, maximizedImagesPng, saliencyOverlayPng, type HwcImage, type MaximizationProgress,
} from '@sketch-xnor/viz';
import { strokeImage, tinyConvNet, useCpu } from './fixtures.js';

const size = 16;

/** A horizontal (or, transposed, vertical) line of random place and length, 1 px thick. */
function randomLine(random: () => number, vertical: boolean): HwcImage {
  const across = 1 + Math.floor(random() * (size - 2));
  const from = Math.floor(random() * 5);
  const to = size - 1 - Math.floor(random() * 5);
  return strokeImage(size, [vertical ? [across, from, across, to] : [from, across, to, across]]);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

const BLANK = 0;
const HORIZONTAL = 1;
const VERTICAL = 2;
let model: tfl.LayersModel;

beforeAll(async () => {
  await useCpu();
  // A tiny task a network learns in seconds: blank paper (faint noise), horizontal lines, vertical lines.
  const random = seeded(3);
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 96; i++) {
    const label = i % 3;
    const image = label === BLANK ? new Float32Array(size * size) : randomLine(random, label === VERTICAL).data;
    images.push(image.map((v) => v + random() * 0.05));
    labels.push(label);
  }
  model = tinyConvNet(size, 3, 5);
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor4d(images.flatMap((d) => Array.from(d)), [images.length, size, size, 1]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const history = await model.fit(x, y, { epochs: 10, batchSize: 16, shuffle: false, verbose: 0 });
  x.dispose();
  y.dispose();
  const accuracy = history.history['acc'] ?? history.history['accuracy'];
  expect(accuracy!.at(-1)).toBeGreaterThan(0.95);
});

/** Mean absolute difference between vertical neighbours over that between horizontal neighbours (> 1: horizontal structure). */
function horizontalness(image: HwcImage): number {
  let vertical = 0;
  let horizontal = 0;
  for (let y = 0; y < image.height - 1; y++) {
    for (let x = 0; x < image.width - 1; x++) {
      const here = image.data[y * image.width + x]!;
      vertical += Math.abs(image.data[(y + 1) * image.width + x]! - here);
      horizontal += Math.abs(image.data[y * image.width + x + 1]! - here);
    }
  }
  return vertical / horizontal;
}

describe('saliency', () => {
  it('is larger on the strokes than on the blank paper for a trained model', () => {
    const sketch = strokeImage(size, [[2, 5, 13, 5], [3, 11, 10, 11]]);
    const saliency = computeSaliency(model, sketch, { classIndex: HORIZONTAL });
    expect(saliency.classIndex).toBe(HORIZONTAL);
    let onStroke = 0;
    let strokeCount = 0;
    let background = 0;
    let backgroundCount = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const value = saliency.data[y * size + x]!;
        // Background: at least 2 px from any ink.
        let nearInk = false;
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (sketch.data[(y + dy) * size + x + dx]) nearInk ||= y + dy >= 0 && y + dy < size && x + dx >= 0 && x + dx < size;
        if (sketch.data[y * size + x]) { onStroke += value; strokeCount++; } else if (!nearInk) { background += value; backgroundCount++; }
      }
    }
    expect(backgroundCount).toBeGreaterThan(50);
    expect(onStroke / strokeCount).toBeGreaterThan(2 * (background / backgroundCount));
  });

  it('defaults to the predicted class and draws an overlay the size of the upscaled sketch', () => {
    const sketch = strokeImage(size, [[8, 2, 8, 13]]);
    const saliency = computeSaliency(model, sketch);
    expect(saliency.classIndex).toBe(VERTICAL);
    const overlay = decodePng(saliencyOverlayPng(sketch, saliency));
    expect([overlay.width, overlay.height]).toEqual([256, 256]);
    expect(() => computeSaliency(model, sketch, { classIndex: 3 })).toThrow(/class 3 is not in 0\.\.2/);
  });
});

describe('activation maximization', () => {
  it('increases the chosen unit\'s activation, stays in [0, 1] and reports progress', async () => {
    const progress: MaximizationProgress[] = [];
    const result = await maximizeActivation(model, { kind: 'unit', layer: 'relu2', channel: 2 }, { steps: 40, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(result.finalObjective).toBeGreaterThan(result.initialObjective + 0.1);
    expect(Math.min(...result.image.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.image.data)).toBeLessThanOrEqual(1);
  });

  it('draws what a class means: horizontal strokes for "horizontal", vertical for "vertical", on mostly blank paper', async () => {
    const horizontal = await maximizeActivation(model, { kind: 'class', classIndex: HORIZONTAL }, { steps: 48 });
    const vertical = await maximizeActivation(model, { kind: 'class', classIndex: VERTICAL }, { steps: 48 });
    for (const result of [horizontal, vertical]) {
      expect(result.finalObjective).toBeGreaterThan(result.initialObjective);
      const mean = result.image.data.reduce((a, b) => a + b, 0) / result.image.data.length;
      expect(mean).toBeLessThan(0.35);
    }
    expect(horizontalness(horizontal.image)).toBeGreaterThan(1.3);
    expect(horizontalness(vertical.image)).toBeLessThan(1 / 1.3);
    const grid = decodePng(maximizedImagesPng([horizontal, vertical]));
    expect(grid.width).toBe(2 * 96 + 6);
  });

  it('rejects a channel the layer does not have', async () => {
    await expect(maximizeActivation(model, { kind: 'unit', layer: 'relu2', channel: 6 })).rejects.toThrow(/layer "relu2" has channels 0\.\.5; got 6/);
    await expect(maximizeActivation(model, { kind: 'unit', layer: 'nope', channel: 0 })).rejects.toThrow(/has no layer "nope"/);
  });
});
