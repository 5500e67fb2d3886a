// The page's drawing -> the network input, through the very pipeline training and `sketch-xnor predict` use
// (@sketch-xnor/data's prepareTestViews: rasterize at the render size, center crop), so the network sees what it
// was trained on.
import { prepareTestViews, type Sketch } from '@sketch-xnor/data';
import type { DrawnStroke } from './strokes.js';
import { sampleOptionsFor, type InputSpec } from './model-meta.js';

/** The drawn strokes as a data-package sketch (canvas pixels, y down, like Quick, Draw!). */
export function sketchFromDrawing(strokes: readonly DrawnStroke[]): Sketch {
  return {
    label: '',
    id: 'drawing',
    strokes: strokes.map((s) => ({ x: Float32Array.from(s.xs), y: Float32Array.from(s.ys), t: Float64Array.from(s.ts) })),
  };
}

/** The center test view, cropSize x cropSize x channels, ink = 1: what the network is fed. */
export function networkInput(strokes: readonly DrawnStroke[], input: InputSpec): Float32Array {
  return prepareTestViews(sketchFromDrawing(strokes), sampleOptionsFor(input))[0]!;
}
