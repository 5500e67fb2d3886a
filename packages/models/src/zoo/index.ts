// The one list of the zoo's networks (one file per network), registered by the model registry.
import { SketchANet } from './sketch-a-net.js';
import { SketchANetBwn } from './sketch-a-net-bwn.js';
import { SketchANetXnor } from './sketch-a-net-xnor.js';

export const zoo = [SketchANet, SketchANetBwn, SketchANetXnor];
