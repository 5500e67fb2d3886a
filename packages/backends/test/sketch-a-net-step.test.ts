import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients in this environment
import { useBackend } from '@sketch-xnor/backends';
import { buildModel } from '@sketch-xnor/models';

/** One Adam step of Sketch-A-Net on a backend: weights before and after. */
async function adamStep(backend: string, options: Record<string, unknown>, batch: number) {
  await useBackend(backend);
  const model = buildModel('sketch-a-net', { classes: 250, seed: 7, dropout: 0, ...options });
  const size = model.inputs[0]!.shape[1]!;
  // zero-mean inputs: every conv1 filter then fires somewhere, so no unit starts dead and every weight gets a gradient
  const x = tf.randomNormal([batch, size, size, 1], 0, 1, 'float32', 11);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 97) % 250), 'int32'), 250);
  const before = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  const optimizer = tf.train.adam(1e-3);
  const { grads } = optimizer.computeGradients(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
  );
  const names = model.getWeights().map((w) => w.name);
  const gradients = model.trainableWeights.map((w) => grads[w.name]!.dataSync().slice() as Float32Array);
  optimizer.applyGradients(grads);
  const after = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  tf.dispose([x, y, ...Object.values(grads)]);
  optimizer.dispose();
  return { before, after, gradients, names };
}

/** Weights that did not move although their gradient was non-zero (Adam moves exactly those with a gradient). */
function stuck(before: Float32Array, after: Float32Array, gradient: Float32Array): number {
  let n = 0;
  for (let j = 0; j < before.length; j++) if ((after[j] !== before[j]) !== (gradient[j] !== 0)) n++;
  return n;
}
const share = (g: Float32Array) => g.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0) / g.length;

describe('training Sketch-A-Net on wasm', () => {
  it('one Adam step of the full network (225x225, 250 classes, 8,508,666 weights) changes every weight', async () => {
    const { before, after, gradients, names } = await adamStep('wasm', {}, 4);
    expect(before.reduce((a, w) => a + w.length, 0)).toBe(8_508_666);
    for (let i = 0; i < after.length; i++) {
      // every weight with a gradient moves; only the filters of ReLU units that no input activates have none
      expect(stuck(before[i]!, after[i]!, gradients[i]!), `${names[i]}: weights with a gradient that did not move`).toBe(0);
      expect(share(gradients[i]!), `${names[i]}: share of weights with a gradient`).toBeGreaterThan(0.25);
    }
  });

  it('one Adam step matches the cpu backend within float tolerance (full depth and input, a quarter of the width)', async () => {
    // The cpu backend needs over ten minutes for a full-width step, so the comparison runs at width 0.25; the
    // kernel tests check every layer shape of the full network against cpu.
    const wasm = await adamStep('wasm', { width: 0.25 }, 1);
    const cpu = await adamStep('cpu', { width: 0.25 }, 1);
    for (let i = 0; i < wasm.after.length; i++) {
      let maxDiff = 0;
      for (let j = 0; j < wasm.after[i]!.length; j++) maxDiff = Math.max(maxDiff, Math.abs(wasm.after[i]![j]! - cpu.after[i]![j]!));
      // the step is 1e-3 per weight: reassociated float sums in the convolutions must not change it by more than 1e-5
      expect(maxDiff, `${wasm.names[i]} differs from cpu`).toBeLessThan(1e-5);
      expect(stuck(wasm.before[i]!, wasm.after[i]!, wasm.gradients[i]!), `${wasm.names[i]} stuck`).toBe(0);
    }
  });
});
