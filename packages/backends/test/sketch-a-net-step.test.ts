import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
import { buildModel } from '@sketch-xnor/models';

const LEARNING_RATE = 1e-3;
const BATCH = 2;

interface Step {
  names: string[];
  before: Float32Array[];
  grads: Float32Array[];
  after: Float32Array[];
}

/** One Adam step of full Sketch-A-Net (225x225x1, 250 classes, no dropout) on a backend, from the same seeds. */
async function adamStep(backend: string): Promise<Step> {
  await useBackend(backend);
  const model = buildModel('sketch-a-net', { classes: 250, inputSize: 225, seed: 7, dropout: 0 }) as tf.LayersModel;
  const x = tf.randomUniform([BATCH, 225, 225, 1], 0, 1, 'float32', 11);
  const y = tf.oneHot(tf.tensor1d([3, 200].slice(0, BATCH), 'int32'), 250);
  const read = () => model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  const before = read();
  const optimizer = tf.train.adam(LEARNING_RATE);
  // what optimizer.minimize does, keeping the gradients to check the step against
  const { grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
  );
  const names = model.weights.map((w) => w.originalName);
  const gradValues = model.weights.map((w) => grads[w.read().name]!.dataSync().slice() as Float32Array);
  optimizer.applyGradients(grads);
  const after = read();
  tf.dispose([x, y, ...Object.values(grads)]);
  model.dispose();
  optimizer.dispose();
  return { names, before, grads: gradValues, after };
}

/** Largest |a - b| relative to the largest |b|. */
function relativeDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let j = 0; j < b.length; j++) {
    scale = Math.max(scale, Math.abs(b[j]!));
    diff = Math.max(diff, Math.abs(a[j]! - b[j]!));
  }
  return diff / Math.max(scale, 1e-30);
}

describe('training full Sketch-A-Net on wasm', () => {
  it('one Adam step moves every weight that has a gradient, as the cpu backend does', async () => {
    const wasm = await adamStep('wasm');
    const cpu = await adamStep('cpu');
    expect(wasm.before.reduce((n, w) => n + w.length, 0)).toBe(8_508_666);
    const epsilon = tf.backend().epsilon();
    let moved = 0;
    for (let i = 0; i < wasm.after.length; i++) {
      const name = wasm.names[i]!;
      const [before, grad, after] = [wasm.before[i]!, wasm.grads[i]!, wasm.after[i]!];
      expect(relativeDiff(before, cpu.before[i]!), `${name}: same initial weights`).toBe(0);
      // every gradient the wasm kernels computed is the cpu backend's, up to float reassociation
      expect(relativeDiff(grad, cpu.grads[i]!), `${name}: gradient differs from cpu`).toBeLessThan(1e-4);
      let withGradient = 0;
      let stuck = 0;
      let worst = 0;
      let worstConditioned = 0;
      for (let j = 0; j < after.length; j++) {
        const g = grad[j]!;
        if (g !== 0) withGradient++;
        // Adam's first step is -lr * g / (|g| + eps): every weight with a gradient moves, by up to lr
        const expected = before[j]! - (LEARNING_RATE * g) / (Math.abs(g) + epsilon);
        worst = Math.max(worst, Math.abs(after[j]! - expected));
        if (Math.abs(g) > 1e-9 && after[j] === before[j]) stuck++;
        // against cpu: exact where |g| >> eps; where |g| is near eps a float-level change of g moves the step visibly
        if (Math.abs(g) > 1e-4) worstConditioned = Math.max(worstConditioned, Math.abs(after[j]! - cpu.after[i]![j]!));
      }
      expect(stuck, `${name}: weights with a gradient that did not move`).toBe(0);
      expect(worst, `${name}: step is not Adam's`).toBeLessThan(1e-7);
      expect(worstConditioned, `${name}: wasm step differs from cpu step`).toBeLessThan(1e-6);
      // ReLU units off for both images give their weights no gradient (a conv1 filter, fc6/fc7 rows: 61% of all
      // weights with this seed and batch 2); all others move
      expect(withGradient, `${name}: no weight has a gradient`).toBeGreaterThan(0);
      moved += withGradient;
    }
    expect(moved / 8_508_666, 'share of all weights moved').toBeGreaterThan(0.3);
  });

  // batch 2 would leave XNOR's BatchNorms on 1x1 features (fc6-fc8) with two samples, whose normalized outputs do
  // not depend on their inputs: every gradient above them is float noise
  const VARIANT_BATCH = 6;

  /** Gradients of one training step of a (narrow) binarized variant on a backend. */
  async function variantGrads(name: string, backend: string): Promise<Map<string, Float32Array>> {
    await useBackend(backend);
    const model = (await buildModel(name, { classes: 250, inputSize: 225, width: 0.25, seed: 3, dropout: 0 })) as tf.LayersModel;
    const x = tf.randomUniform([VARIANT_BATCH, 225, 225, 1], 0, 1, 'float32', 5);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: VARIANT_BATCH }, (_, i) => i * 41), 'int32'), 250);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    );
    expect(Number.isFinite(value.dataSync()[0]), `${name} loss on ${backend}`).toBe(true);
    const byName = new Map(model.trainableWeights.map((w) => [w.originalName, grads[w.read().name]!.dataSync().slice() as Float32Array]));
    tf.dispose([x, y, value, ...Object.values(grads)]);
    model.dispose();
    return byName;
  }

  it.each(['sketch-a-net-bwn', 'sketch-a-net-xnor'])('%s trains on wasm with the gradients of cpu', async (name) => {
    const wasm = await variantGrads(name, 'wasm');
    const cpu = await variantGrads(name, 'cpu');
    for (const [weight, grad] of wasm) {
      if (weight.endsWith('/kernel')) expect(grad.some((g) => g !== 0), `${weight} has no gradient`).toBe(true);
      if (name.endsWith('xnor')) {
        // a bias right before a training-mode BatchNorm has no gradient (the batch mean cancels it): float noise
        if (weight.endsWith('/bias') && weight !== 'fc8/bias') continue;
        // XNOR's binary convolutions give near-tied maxima in the pooling windows after them, which float rounding
        // breaks differently on each backend (both correctly): compare the layers above the last pooling
        if (!/^(bn_)?fc[678]\//.test(weight)) continue;
      }
      expect(relativeDiff(grad, cpu.get(weight)!), `${weight}: gradient differs from cpu`).toBeLessThan(1e-4);
    }
  });
});
