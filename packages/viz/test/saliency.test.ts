import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  computeSaliency, decodePng, maximizeActivation, maximizedImagesPng, saliencyOverlayPng, type HwcImage, type MaximizationProgress,
} from '@sketch-xnor/viz';
import { strokeImage, tinyConvNet, useCpu } from './fixtures.js';

const size = 16;

/** A random straight stroke crossing most of the image (seeded). */
function randomStroke(random: () => number): HwcImage {
  const point = () => 1 + Math.floor(random() * (size - 2));
  return strokeImage(size, [[point(), point(), point(), point()], [point(), point(), point(), point()]]);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

let model: tfl.LayersModel;

beforeAll(async () => {
  await useCpu();
  // Class 0: blank paper (faint noise), class 1: a sketch with strokes.
  const random = seeded(3);
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 96; i++) {
    const stroke = i % 2 === 1;
    const image = stroke ? randomStroke(random).data : new Float32Array(size * size);
    images.push(image.map((v) => v + random() * 0.05));
    labels.push(stroke ? 1 : 0);
  }
  model = tinyConvNet(size, 2, 5);
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor4d(images.flatMap((d) => Array.from(d)), [images.length, size, size, 1]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
  const history = await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
  x.dispose();
  y.dispose();
  const accuracy = history.history['acc'] ?? history.history['accuracy'];
  expect(accuracy!.at(-1)).toBeGreaterThan(0.95);
});

describe('saliency', () => {
  it('is larger on the strokes than on the blank paper for a trained stroke-vs-blank model', () => {
    const sketch = strokeImage(size, [[3, 3, 12, 12], [3, 12, 9, 6]]);
    const saliency = computeSaliency(model, sketch, { classIndex: 1 });
    expect(saliency.classIndex).toBe(1);
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
    const sketch = strokeImage(size, [[2, 8, 13, 8]]);
    const saliency = computeSaliency(model, sketch);
    expect(saliency.classIndex).toBe(1);
    const overlay = decodePng(saliencyOverlayPng(sketch, saliency));
    expect([overlay.width, overlay.height]).toEqual([256, 256]);
    expect(() => computeSaliency(model, sketch, { classIndex: 2 })).toThrow(/class 2 is not in 0\.\.1/);
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

  it('increases a class score, and the penalties keep most of the paper blank', async () => {
    const result = await maximizeActivation(model, { kind: 'class', classIndex: 1 }, { steps: 40, l1: 0.2 });
    expect(result.finalObjective).toBeGreaterThan(result.initialObjective);
    const mean = result.image.data.reduce((a, b) => a + b, 0) / result.image.data.length;
    expect(mean).toBeLessThan(0.6);
    const grid = decodePng(maximizedImagesPng([result, result]));
    expect(grid.width).toBe(2 * 96 + 6);
  });

  it('rejects a channel the layer does not have', async () => {
    await expect(maximizeActivation(model, { kind: 'unit', layer: 'relu2', channel: 6 })).rejects.toThrow(/layer "relu2" has channels 0\.\.5; got 6/);
    await expect(maximizeActivation(model, { kind: 'unit', layer: 'nope', channel: 0 })).rejects.toThrow(/has no layer "nope"/);
  });
});
