import { sketchANetFactory } from './build-sketch-a-net.js';

export const SketchANetBwn = sketchANetFactory(
  'sketch-a-net-bwn',
  'bwn',
  'Sketch-A-Net with binary weights (magnitude-aware-sign) in conv2..fc7; conv1 and fc8 float',
);
