// Rotation of the whole drawing about its center by an angle uniform in [-maxDegrees, maxDegrees] (Sketch-a-Net: +-5).
import { augmentationPlugin, checkKnownOptions, drawingFrame, mapPoints, numberOption, type AugmentationFactory } from './augmentation.js';

export interface RotationOptions {
  /** Largest angle either way, in degrees (default 5). */
  maxDegrees?: number;
}

export const rotation: AugmentationFactory = {
  name: 'rotation',
  description: 'rotates the drawing about its center by a uniform angle in [-maxDegrees, maxDegrees] (default 5)',
  create(options) {
    checkKnownOptions(options, ['maxDegrees']);
    const maxDegrees = numberOption(options, 'maxDegrees', 5, 0, 180);
    return augmentationPlugin('rotation', { maxDegrees }, (strokes, rng) => {
      const angle = (rng.uniform(-maxDegrees, maxDegrees) * Math.PI) / 180;
      const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
      const { cx, cy } = drawingFrame(strokes);
      return mapPoints(strokes, (x, y) => [cx + cos * (x - cx) - sin * (y - cy), cy + sin * (x - cx) + cos * (y - cy)]);
    });
  },
};
