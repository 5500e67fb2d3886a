import { sketchANetFactory } from './build-sketch-a-net.js';

export const SketchANet = sketchANetFactory(
  'sketch-a-net',
  'float',
  'Sketch-A-Net (Yu et al.), float: 8,508,666 parameters at 225x225 and 250 classes',
);
