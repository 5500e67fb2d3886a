// The README's example is examples/swish-sign.ts, included verbatim; this runs it from outside the package
// (through the public entry point, as a user would).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { getQuantizer, listQuantizers, QuantConv2D, QuantDense } from '@sketch-xnor/binary-ops';
import { SwishSign, buildBinaryModel, trainStep } from '../examples/swish-sign.js';
import { switchBackend, testBackends } from './backend.js';
import { expectAllClose, numericGradient, randomValues, vjp } from './reference.js';

const here = (path: string) => new URL(path, import.meta.url);

it('the README shows examples/swish-sign.ts verbatim', () => {
  const readme = readFileSync(here('../README.md'), 'utf8');
  const example = readFileSync(here('../examples/swish-sign.ts'), 'utf8');
  expect(readme).toContain('```ts\n' + example + '```');
});

describe.each(testBackends)('README example on %s', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('registers swish-sign, whose gradient is the derivative of SwishSign', () => {
    expect(listQuantizers()).toContain('swish-sign');
    const beta = 3;
    const q = getQuantizer({ name: 'swish-sign', beta });
    expect(q).toBeInstanceOf(SwishSign);
    const x = randomValues(30, 31, 2, 0);
    const upstream = randomValues(30, 32);
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const swishSign = (v: number) => 2 * sigmoid(beta * v) * (1 + beta * v * (1 - sigmoid(beta * v))) - 1;
    const loss = (v: Float64Array) => v.reduce((s, e, i) => s + upstream[i]! * swishSign(e), 0);
    tf.tidy(() => {
      const input = tf.tensor1d(Array.from(x));
      expect(Array.from(q.apply(input).dataSync())).toEqual(Array.from(x, (v) => (v >= 0 ? 1 : -1)));
      expectAllClose(vjp((v) => q.apply(v), input, tf.tensor1d(Array.from(upstream))).dataSync(), numericGradient(loss, x), 1e-4);
    });
  });

  it('uses the scheme by name in layers, trains a step with clipping, and saves / loads it by name', async () => {
    const model = buildBinaryModel();
    const conv = model.layers[0] as QuantConv2D;
    expect(conv.inputQuantizer!.getConfig()).toEqual({ name: 'swish-sign', beta: 10 });
    expect((model.layers[3] as QuantDense).inputQuantizer!.getConfig()).toEqual({ name: 'swish-sign', beta: 5 });
    const images = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10) as tf.Tensor2D;
    const before = conv.getWeights()[0]!.dataSync().slice();
    await trainStep(model, images, labels);
    const after = conv.getWeights()[0]!.dataSync();
    expect(after.some((v, i) => v !== before[i]), 'the latent kernel was updated').toBe(true);
    expect(Math.max(...Array.from(after, Math.abs))).toBeLessThanOrEqual(1);

    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect((loaded.layers[0] as QuantConv2D).inputQuantizer).toBeInstanceOf(SwishSign);
    expect((loaded.layers[0] as QuantConv2D).inputQuantizer!.getConfig()).toEqual({ name: 'swish-sign', beta: 10 });
    tf.tidy(() => expectAllClose((loaded.predict(images) as tf.Tensor).dataSync(), (model.predict(images) as tf.Tensor).dataSync(), 1e-6));
    tf.dispose([images, labels]);
  });
});
