// A tiny run folder for the integrity and fuzz tests: a float conv, a binary QuantConv2D and a dense layer with
// three outputs (a few thousand parameters), saved with saveRun so every file is what the package writes.
import * as tfl from '@tensorflow/tfjs-layers';
import { QuantConv2D } from '@sketch-xnor/binary-ops';
import { saveRun } from '@sketch-xnor/models';

export const TINY_CLASSES = ['cat', 'dog', 'tree'] as const;
export const TINY_OPTIONS = { classes: TINY_CLASSES.length, inputSize: 12, channels: 1 };

export function tinyModel(): tfl.LayersModel {
  const init = (seed: number) => tfl.initializers.heNormal({ seed });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv1', kernelInitializer: init(1) }),
      tfl.layers.batchNormalization({ name: 'bn_conv2' }),
      new QuantConv2D({ filters: 8, kernelSize: 3, padding: 'same', padValue: 1, inputQuantizer: 'ste-sign', kernelQuantizer: 'magnitude-aware-sign', name: 'conv2', kernelInitializer: init(2) }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: TINY_CLASSES.length, name: 'fc8', kernelInitializer: init(3) }),
    ],
  });
}

/** Saves a tiny run into `dir` and returns its model. */
export async function tinyRun(dir: string): Promise<{ model: tfl.LayersModel }> {
  const model = tinyModel();
  await saveRun(dir, model, { model: 'tiny-net', options: TINY_OPTIONS, classes: [...TINY_CLASSES] });
  return { model };
}
