// Shared test fixtures: the cpu backend, tiny tfjs-layers models and synthetic stroke images.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import type { HwcImage } from '../src/index.js';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') throw new Error('cpu backend did not start');
}

/** conv(4, relu) -> pool -> conv(6) -> BN -> relu -> global average pool -> dense(classes, softmax). */
export function tinyConvNet(size = 16, classes = 3, seed = 1): tfl.LayersModel {
  const init = (offset: number) => tfl.initializers.glorotUniform({ seed: seed + offset });
  const input = tfl.input({ shape: [size, size, 1], name: 'image' });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1', kernelInitializer: init(0) }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', name: 'conv2', kernelInitializer: init(1) }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'bn2' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu', name: 'relu2' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'fc', kernelInitializer: init(2) }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: 'tiny' });
}

/** A blank (0) square image with ink (1) along the given segments, drawn 1 px thick. */
export function strokeImage(size: number, segments: [number, number, number, number][]): HwcImage {
  const data = new Float32Array(size * size);
  for (const [x0, y0, x1, y1] of segments) {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let i = 0; i <= steps; i++) {
      const x = Math.round(x0 + ((x1 - x0) * i) / steps);
      const y = Math.round(y0 + ((y1 - y0) * i) / steps);
      data[y * size + x] = 1;
    }
  }
  return { height: size, width: size, channels: 1, data };
}

/** conv(4, float) -> BN -> QuantConv2D(6, sign inputs and kernel: XNOR) -> GAP -> dense(classes, softmax). */
export async function tinyXnorNet(size = 16, classes = 3, seed = 2): Promise<tfl.LayersModel> {
  const { QuantConv2D } = await import('@sketch-xnor/binary-ops');
  const init = (offset: number) => tfl.initializers.glorotUniform({ seed: seed + offset });
  const input = tfl.input({ shape: [size, size, 1], name: 'image' });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv1', kernelInitializer: init(0) }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'bn1' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tfl.SymbolicTensor;
  x = new QuantConv2D({
    filters: 6, kernelSize: 3, padding: 'same', name: 'xnor2', inputQuantizer: 'ste-sign', kernelQuantizer: 'ste-sign', kernelClip: [-1, 1],
    kernelInitializer: init(1),
  }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'fc', kernelInitializer: init(2) }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: 'tiny-xnor' });
}

/** QuantConv2D(4, sign kernel: BWN, relu) -> pool -> QuantConv2D(6, sign kernel, relu) -> GAP -> dense(classes, softmax). */
export async function tinyBwnNet(size = 16, classes = 3, seed = 3): Promise<tfl.LayersModel> {
  const { QuantConv2D } = await import('@sketch-xnor/binary-ops');
  const init = (offset: number) => tfl.initializers.glorotUniform({ seed: seed + offset });
  const input = tfl.input({ shape: [size, size, 1], name: 'image' });
  const bwnConv = (filters: number, name: string, offset: number) =>
    new QuantConv2D({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name, kernelQuantizer: 'ste-sign', kernelInitializer: init(offset) });
  let x = bwnConv(4, 'bwn1', 0).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tfl.SymbolicTensor;
  x = bwnConv(6, 'bwn2', 1).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'fc', kernelInitializer: init(2) }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: 'tiny-bwn' });
}
