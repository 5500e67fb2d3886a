// Dropout masks: new at every step, the same for the same seed and step (so a resumed run draws what an
// uninterrupted one does), different for another seed. A probe layer after the dropout records what passes.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import type * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, toArray } from 'rxjs';
import { train } from '../src/index.js';
import { SIZE, syntheticSource, useCpu } from './helpers.js';

beforeAll(useCpu);

/** Identity that records, in training, which of its inputs are zero: the dropout mask before it. */
class MaskProbe extends tfl.layers.Layer {
  static className = 'MaskProbe';
  readonly masks: string[] = [];
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs['training']) this.masks.push(Array.from(input.dataSync(), (v) => (v === 0 ? '0' : '1')).join(''));
    return input;
  }
}

async function masksOf(seed: number, steps: number): Promise<string[]> {
  const probe = new MaskProbe({});
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [SIZE, SIZE, 1] }),
      // a bias of 1 so no unit is 0 before the dropout: every 0 after it is the mask
      tfl.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'zeros', biasInitializer: 'ones' }),
      tfl.layers.dropout({ rate: 0.5 }),
      probe,
      tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
    ],
  });
  await lastValueFrom(train({ model, trainData: syntheticSource(steps, 2), epochs: 1, seed, learningRate: 1e-6 }).pipe(toArray()));
  model.dispose();
  return probe.masks;
}

describe('dropout masks in training', () => {
  it('differ from step to step, repeat for the same seed, and change with the seed', async () => {
    const first = await masksOf(5, 4);
    expect(first).toHaveLength(4);
    expect(first.every((mask) => mask.includes('0') && mask.includes('1'))).toBe(true);
    expect(new Set(first).size, 'every step draws a new mask').toBe(4);
    expect(await masksOf(5, 4)).toEqual(first);
    const other = await masksOf(6, 4);
    expect(other.filter((mask, i) => mask === first[i])).toHaveLength(0);
  });
});
