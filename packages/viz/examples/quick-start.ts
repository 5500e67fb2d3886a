import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  activationGridPng, buildVizReport, computeActivations, computeSaliency, parseMetricsJsonl, saliencyOverlayPng,
  trainingCurvesSvg, writeReport, type HwcImage,
} from '@sketch-xnor/viz';

export async function quickStart(outDir: string): Promise<string[]> {
  await tf.setBackend('cpu');

  // Any tfjs-layers model with one image input; real runs come from loadRun() of @sketch-xnor/models.
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 1], filters: 8, kernelSize: 5, activation: 'relu', name: 'conv1' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2' }),
      tfl.layers.globalAveragePooling2d({}),
      tfl.layers.dense({ units: 3, activation: 'softmax', name: 'fc' }),
    ],
  });

  // A sketch as the network sees it: height x width x channels floats, ink = 1 on blank paper = 0.
  const sketch: HwcImage = { height: 32, width: 32, channels: 1, data: new Float32Array(32 * 32) };
  for (let i = 4; i < 28; i++) sketch.data[i * 32 + i] = sketch.data[i * 32 + 31 - i] = 1;

  // Single figures are pure functions: PNG bytes ...
  const [conv1] = computeActivations(model, sketch); // one entry per convolution
  const activationPng: Uint8Array = activationGridPng(conv1!); // one tile per channel
  const saliencyPng: Uint8Array = saliencyOverlayPng(sketch, computeSaliency(model, sketch));

  // ... or SVG text (Vega-Lite), here training curves from a metrics.jsonl.
  const metrics = parseMetricsJsonl(
    '{"type":"step","step":1,"epoch":0,"loss":1.1,"top1":0.3,"lr":0.001}\n' +
      '{"type":"step","step":2,"epoch":0,"loss":0.9,"top1":0.5,"lr":0.001}\n' +
      '{"type":"eval","step":2,"epoch":0,"split":"test","loss":1.0,"top1":0.4,"top5":1}\n',
    'runs/demo/metrics.jsonl',
  );
  const curvesSvg: string = await trainingCurvesSvg([{ label: 'demo', events: metrics }]);

  // Everything for one or several runs on one HTML page; writeReport is the only function that writes files.
  const report = await buildVizReport(
    [{ label: 'demo', model, events: metrics, categories: ['circle', 'cross', 'line'], config: { note: 'untrained demo' } }],
    { sketch, sketchName: 'a cross', maximization: { steps: 8, classes: 1, units: 2 } },
  );
  return writeReport(outDir, report); // report.html + its PNG and SVG files
}
