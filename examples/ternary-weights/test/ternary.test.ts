import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D, getQuantizer, listQuantizers } from '@sketch-xnor/binary-ops';
import { register, TernaryWeights } from '../src/index.js';

describe('ternary-weights plugin', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    register();
    register(); // idempotent
  });

  it('is registered from outside the package and resolved by name and config', () => {
    expect(listQuantizers()).toContain('ternary-weights');
    const q = getQuantizer({ name: 'ternary-weights', ratio: 0.5 });
    expect(q).toBeInstanceOf(TernaryWeights);
    expect(q.getConfig()).toEqual({ name: 'ternary-weights', ratio: 0.5 });
    expect(() => getQuantizer({ name: 'ternary-weights', ratio: 5 })).toThrow(/ratio must be a number in \(0, 2\)/);
  });

  it('ternarizes per output filter with the definition', () => {
    // one filter [0.1, -0.9, 0.5, -0.05]: mean|W| = 0.3875, delta = 0.27125, kept: -0.9 and 0.5, a = 0.7
    const w = tf.tensor2d([[0.1], [-0.9], [0.5], [-0.05]]);
    expect(Array.from(getQuantizer('ternary-weights').apply(w).dataSync()).map((v) => +v.toFixed(5))).toEqual([0, -0.7, 0.7, 0]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(getQuantizer('ternary-weights').apply(x)))(tf.tensor2d([[0.3], [-1.5], [0.9], [1.0]]));
    expect(Array.from(g.dataSync())).toEqual([1, 0, 1, 1]);
  });

  it('trains in a QuantConv2D used by name, and survives save/load', async () => {
    // seeded initializers and a moderate step: an unseeded run at lr 0.05 once ended above its starting loss
    const model = tfl.sequential();
    model.add(new QuantConv2D({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, kernelQuantizer: 'ternary-weights', kernelClip: [-1, 1], name: 'q', kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }) }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }));
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' as never });
    const x = tf.randomUniform([32, 6, 6, 1], 0, 1, 'float32', 1);
    const y = tf.cast(tf.greater(tf.sum(x, [1, 2, 3]), 18), 'float32');
    const before = model.evaluate(x, y) as tf.Scalar;
    await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
    const after = model.evaluate(x, y) as tf.Scalar;
    expect(after.dataSync()[0]).toBeLessThan(before.dataSync()[0]!);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    expect(JSON.stringify(saved!.modelTopology)).toContain('"ternary-weights"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });
});
