// Every variant learns, on the wasm backend training runs on (the cpu backend's Conv2DBackpropFilter takes seconds
// per step for conv1's 15x15 kernel), and the wasm forward pass agrees with the cpu reference.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { clipLatentWeights } from '@sketch-xnor/binary-ops';
import { buildModel, listModels } from '@sketch-xnor/models';

const SIZE = 64;

/** Four classes of 4 sketches each: a horizontal, vertical, diagonal or anti-diagonal bar, at varying offsets. */
function tinyBatch(): { x: tf.Tensor4D; labels: number[] } {
  const images = new Float32Array(16 * SIZE * SIZE);
  const labels: number[] = [];
  for (let n = 0; n < 16; n++) {
    const label = n % 4;
    const offset = 8 * Math.floor(n / 4) - 12;
    labels.push(label);
    for (let i = 0; i < SIZE; i++) {
      for (let w = -2; w <= 2; w++) {
        const along = i;
        const across = SIZE / 2 + offset + w;
        const [r, c] = [
          [across, along],
          [along, across],
          [along, along + offset + w],
          [along, SIZE - 1 - along + offset + w],
        ][label]!;
        if (r! >= 0 && r! < SIZE && c! >= 0 && c! < SIZE) images[n * SIZE * SIZE + r! * SIZE + c!] = 1;
      }
    }
  }
  return { x: tf.tensor4d(images, [16, SIZE, SIZE, 1]), labels };
}

describe('every variant learns on wasm', () => {
  it.each(listModels().filter((name) => name.startsWith('sketch-a-net')))(
    '%s (input 64, width 0.25) fits a tiny batch: the loss falls over a few Adam steps',
    async (name) => {
      await useBackend('wasm');
      // no dropout: its masks are unseeded, and a 16-sketch fit should not depend on them
      const model = buildModel(name, { classes: 4, inputSize: SIZE, width: 0.25, seed: 2, dropout: 0 });
      const { x, labels } = tinyBatch();
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 4);
      const loss = (training: boolean) => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training }) as tf.Tensor) as tf.Scalar;
      const evalLoss = () => tf.tidy(() => loss(false).dataSync()[0]!);
      const optimizer = tf.train.adam(0.003);
      const first = evalLoss();
      for (let step = 0; step < 30; step++) {
        tf.dispose(optimizer.minimize(() => loss(true)));
        clipLatentWeights(model);
      }
      const last = evalLoss();
      expect(last, `${name}: loss ${first.toFixed(3)} -> ${last.toFixed(3)}`).toBeLessThan(first * 0.5);
      const predicted = Array.from(tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync()));
      const correct = predicted.filter((p, i) => p === labels[i]).length;
      expect(correct, `${name}: ${correct}/16 right`).toBeGreaterThanOrEqual(14);
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  );

  it('on wasm every layer of every variant computes what it computes on cpu', async () => {
    // Layer by layer from the same inputs: a binary network run end to end may legitimately flip a sign where a
    // binary conv's sum is an exact tie (0 on one backend, 1e-9 on the other), and that flip then spreads.
    for (const name of listModels().filter((n) => n.startsWith('sketch-a-net'))) {
      await useBackend('cpu');
      const model = buildModel(name, { classes: 10, inputSize: SIZE, width: 0.25 });
      const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
      const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((l) => l.input as tfl.SymbolicTensor) });
      const inputs = tf.tidy(() => (probe.predict(tf.randomNormal([2, SIZE, SIZE, 1], 0.2, 1, 'float32', 4)) as tf.Tensor[]).map((t) => ({ shape: t.shape, data: t.dataSync().slice() })));
      const outputs = (backend: string) =>
        useBackend(backend).then(() => layers.map((layer, i) => tf.tidy(() => (layer.apply(tf.tensor(inputs[i]!.data, inputs[i]!.shape)) as tf.Tensor).dataSync().slice())));
      const cpu = await outputs('cpu');
      const wasm = await outputs('wasm');
      layers.forEach((layer, i) => {
        const scale = Math.max(1e-3, ...Array.from(cpu[i]!, Math.abs));
        const diff = Math.max(...Array.from(cpu[i]!, (v, j) => Math.abs(v - wasm[i]![j]!)));
        expect(diff / scale, `${name} ${layer.name}`).toBeLessThan(1e-5);
      });
      model.dispose();
    }
  });
});
