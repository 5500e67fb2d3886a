// The trainer with a binary-weight model from @sketch-xnor/binary-ops: latent kernels stay clipped after
// every update (tfjs-layers would ignore a constraint), and the binary model still learns.
import { beforeAll, describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantDense } from '@sketch-xnor/binary-ops';
import { evaluate, train, type EvalEvent } from '../src/index.js';
import { CLASSES, SIZE, syntheticSource, syntheticTestBatch, useCpu } from './helpers.js';

beforeAll(useCpu);

function binaryModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [SIZE, SIZE, 1] }),
      new QuantDense({ units: 16, kernelQuantizer: 'ste-sign', kernelClip: [-1, 1], kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.dense({ units: CLASSES, kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }) }),
    ],
  });
}

const latentKernel = (model: tfl.LayersModel) => model.layers[1]!.getWeights()[0]!.dataSync();
const maxAbs = (values: Float32Array | Int32Array | Uint8Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const testData = [syntheticTestBatch(91, 48, 10)];

describe('training a binary-weight model', () => {
  it('keeps latent kernels in kernelClip after every step (and they leave it without clipping)', async () => {
    const options = { trainData: syntheticSource(4, 16), epochs: 3, learningRate: 0.3 };
    const unclipped = binaryModel();
    await lastValueFrom(train({ model: unclipped, ...options, clipLatentWeights: false }));
    expect(maxAbs(latentKernel(unclipped))).toBeGreaterThan(1.5);

    const clipped = binaryModel();
    let worst = 0;
    const events$ = train({ model: clipped, ...options });
    events$.subscribe((e) => e.type === 'step' && (worst = Math.max(worst, maxAbs(latentKernel(clipped)))));
    await lastValueFrom(events$);
    expect(worst).toBeLessThanOrEqual(1);
    expect(worst).toBeGreaterThan(0.99); // the rate is high enough that clipping was active
  });

  it('learns with binary weights', async () => {
    const model = binaryModel();
    const before = await evaluate(model, testData);
    const events = await lastValueFrom(train({ model, trainData: syntheticSource(8, 16), testData, epochs: 5, learningRate: 0.01 }).pipe(toArray()));
    const final = events.filter((e): e is EvalEvent => e.type === 'eval').at(-1)!;
    expect(final.top1).toBeGreaterThanOrEqual(0.85);
    expect(final.top1).toBeGreaterThan(before.top1 + 0.25);
    expect(final.top1TenView).toBeGreaterThanOrEqual(0.85);
  });
});
