// Stroke deformation (Sketch-a-Net, Yu et al. 2017): a small global warp of the whole drawing plus local
// displacements of each stroke, so the same sketch never rasterizes twice alike.
// - global: a random near-identity affine map plus one smooth sinusoidal warp, displacements of about
//   `global` x the drawing's size;
// - local: each stroke shifted as a whole, and its control points (every `controlSpacing` points, plus both
//   ends) displaced independently, by about `local` x the drawing's size, linearly interpolated between them so
//   the stroke stays smooth.
import type { Rng } from '../random.js';
import { augmentationPlugin, checkKnownOptions, drawingFrame, mapPoints, numberOption, type AugmentationFactory } from './augmentation.js';

export interface DeformationOptions {
  /** Scale of the global warp, a fraction of the drawing's size (default 0.04). */
  global?: number;
  /** Scale of the per-stroke displacements, a fraction of the drawing's size (default 0.015). */
  local?: number;
  /** Points between a stroke's displaced control points (default 8). */
  controlSpacing?: number;
}

/** Displacements of a stroke's points: random at control points, linear in between. */
function controlPointOffsets(points: number, spacing: number, scale: number, rng: Rng): [Float64Array, Float64Array] {
  const dx = new Float64Array(points);
  const dy = new Float64Array(points);
  const controls = Math.max(1, Math.ceil((points - 1) / spacing));
  const cx = Array.from({ length: controls + 1 }, () => rng.normal(0, scale));
  const cy = Array.from({ length: controls + 1 }, () => rng.normal(0, scale));
  for (let i = 0; i < points; i++) {
    const position = points > 1 ? (i / (points - 1)) * controls : 0;
    const k = Math.min(controls - 1, Math.floor(position));
    const f = position - k;
    dx[i] = cx[k]! * (1 - f) + cx[k + 1]! * f;
    dy[i] = cy[k]! * (1 - f) + cy[k + 1]! * f;
  }
  return [dx, dy];
}

export const deformation: AugmentationFactory = {
  name: 'deformation',
  description: 'small global warp and local per-stroke control-point displacements (fractions of the drawing size)',
  create(options) {
    checkKnownOptions(options, ['global', 'local', 'controlSpacing']);
    const global = numberOption(options, 'global', 0.04, 0, 1);
    const local = numberOption(options, 'local', 0.015, 0, 1);
    const controlSpacing = numberOption(options, 'controlSpacing', 8, 1);
    return augmentationPlugin('deformation', { global, local, controlSpacing }, (strokes, rng) => {
      const { cx, cy, extent } = drawingFrame(strokes);
      // Global: affine part (a, b; c, d) near zero, plus a sinusoid of random phase across the drawing.
      const [a, b, c, d] = [rng.normal(0, global), rng.normal(0, global), rng.normal(0, global), rng.normal(0, global)];
      const [wx, wy] = [rng.normal(0, global), rng.normal(0, global)];
      const [phaseX, phaseY] = [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)];
      const perStroke = strokes.map((stroke) => {
        const [sx, sy] = [rng.normal(0, local), rng.normal(0, local)];
        const [ox, oy] = controlPointOffsets(stroke.x.length, controlSpacing, local, rng);
        return { sx, sy, ox, oy };
      });
      return mapPoints(strokes, (x, y, s, i) => {
        const u = (x - cx) / extent;
        const v = (y - cy) / extent;
        const { sx, sy, ox, oy } = perStroke[s]!;
        const moveX = a * u + b * v + wx * Math.sin(Math.PI * v + phaseX) + sx + ox[i]!;
        const moveY = c * u + d * v + wy * Math.sin(Math.PI * u + phaseY) + sy + oy[i]!;
        return [x + moveX * extent, y + moveY * extent];
      });
    });
  },
};
