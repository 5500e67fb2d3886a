import { sketchANetFactory } from './build-sketch-a-net.js';

export const SketchANetXnor = sketchANetFactory(
  'sketch-a-net-xnor',
  'xnor',
  'Sketch-A-Net with binary weights and inputs in conv2..fc7, XNOR-Net block order (BatchNorm, sign, conv, pool)',
);
