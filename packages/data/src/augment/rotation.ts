// Rotation of the whole drawing about its center by an angle uniform in [-maxDegrees, maxDegrees] (Sketch-a-Net: +-5).
// Strokes turn about the drawing's center; a raster (a sketch with pixels only) turns about the image's center by
// the same seeded draw.
import type { Rng } from '../random.js';
import { rotateImage } from './rotate-image.js';
import { augmentationPlugin, checkKnownOptions, drawingFrame, mapPoints, numberOption, type AugmentationFactory } from './augmentation.js';

export interface RotationOptions {
  /** Largest angle either way, in degrees (default 5). */
  maxDegrees?: number;
}

export const rotation: AugmentationFactory = {
  name: 'rotation',
  description: 'rotates the drawing about its center by a uniform angle in [-maxDegrees, maxDegrees] (default 5); strokes and rasters',
  create(options) {
    checkKnownOptions(options, ['maxDegrees']);
    const maxDegrees = numberOption(options, 'maxDegrees', 5, 0, 180);
    const drawAngle = (rng: Rng) => (rng.uniform(-maxDegrees, maxDegrees) * Math.PI) / 180;
    return augmentationPlugin(
      'rotation',
      { maxDegrees },
      (strokes, rng) => {
        const angle = drawAngle(rng);
        const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
        const { cx, cy } = drawingFrame(strokes);
        return mapPoints(strokes, (x, y) => [cx + cos * (x - cx) - sin * (y - cy), cy + sin * (x - cx) + cos * (y - cy)]);
      },
      (image, size, channels, rng) => rotateImage(image, size, channels, drawAngle(rng)),
    );
  },
};
