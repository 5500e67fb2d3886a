// The per-sample pipeline, shared by training, evaluation, the CLI's predict and the batch stream's workers:
// augment strokes -> rasterize at renderSize (channels by stroke order) -> random crop + mirror (training), or
// the 10 fixed views (testing). Raster-only sketches (TU-Berlin PNGs) are resized to renderSize, get the
// augmentations that have a raster form (rotation; stroke removal and deformation need strokes) and are then
// cropped the same way.
import { augmentImage, augmentStrokes, type AugmentOptions } from './augment/index.js';
import type { Rng } from './random.js';
import { DEFAULT_RENDER_SIZE, rasterizeByStrokeOrder } from './rasterize.js';
import { resizeImage } from './resize.js';
import type { Sketch } from './types.js';
import { cropView, randomView, testViews } from './views.js';

export interface SampleOptions {
  /** Side of the rendered square (default 256). */
  renderSize?: number;
  /** Side of the crop the network sees (default 225). */
  cropSize?: number;
  /** 1: one gray channel; 3 (or any n): strokes split into n channels by drawing order, early to late (default 1). */
  channels?: number;
  /** Stroke augmentation for training; `false` for none (default: all built-in steps with their defaults). */
  augment?: AugmentOptions | false;
  /** Mirror half of the training samples left-right (default true). */
  flip?: boolean;
  /** Line width at renderSize (default: the rasterizer's, 3 px at 256). */
  lineWidth?: number;
  /** Margin at renderSize (default: the rasterizer's, the drawing fills the center 225/256). */
  margin?: number;
}

/** Fork key of the augmentation's random stream ("Aug"): the crop's draws come from the sample's own stream. */
const AUGMENT_STREAM = 0x417567;

interface Settings {
  renderSize: number;
  cropSize: number;
  channels: number;
}

function settings(options: SampleOptions): Settings {
  const { renderSize = DEFAULT_RENDER_SIZE, cropSize = Math.min(225, renderSize), channels = 1 } = options;
  if (!Number.isInteger(renderSize) || renderSize < 1) throw new Error(`renderSize must be a positive integer, got ${renderSize}`);
  if (!Number.isInteger(cropSize) || cropSize < 1 || cropSize > renderSize) throw new Error(`cropSize must be an integer in [1, renderSize = ${renderSize}], got ${cropSize}`);
  if (!Number.isInteger(channels) || channels < 1) throw new Error(`channels must be a positive integer, got ${channels}`);
  return { renderSize, cropSize, channels };
}

/** The sketch at renderSize x renderSize x channels, before cropping. */
export function renderSketch(sketch: Sketch, options: SampleOptions, strokes = sketch.strokes): Float32Array {
  const { renderSize, channels } = settings(options);
  if (strokes.length > 0) {
    return rasterizeByStrokeOrder(strokes, channels, {
      size: renderSize,
      ...(options.lineWidth !== undefined && { lineWidth: options.lineWidth }),
      ...(options.margin !== undefined && { margin: options.margin }),
    });
  }
  if (!sketch.image) throw new Error(`sketch ${sketch.id} (${sketch.label}) has neither strokes nor an image`);
  const gray = resizeImage(sketch.image, renderSize, renderSize).data;
  if (channels === 1) return gray;
  // No stroke order in a raster: every channel gets the whole drawing.
  const image = new Float32Array(gray.length * channels);
  for (let p = 0; p < gray.length; p++) image.fill(gray[p]!, p * channels, (p + 1) * channels);
  return image;
}

/** One augmented training sample, cropSize x cropSize x channels; all randomness from `rng`. */
export function prepareTrainingSample(sketch: Sketch, options: SampleOptions, rng: Rng): Float32Array {
  const { renderSize, cropSize, channels } = settings(options);
  const augment = options.augment ?? {};
  // A fork for the strokes, so the crop's draws do not depend on how many draws augmentation took.
  const hasStrokes = sketch.strokes.length > 0;
  const strokes = augment !== false && hasStrokes ? augmentStrokes(sketch.strokes, augment, rng.fork(AUGMENT_STREAM)) : sketch.strokes;
  const rendered = renderSketch(sketch, options, strokes);
  const image = augment !== false && !hasStrokes ? augmentImage(rendered, renderSize, channels, augment, rng.fork(AUGMENT_STREAM)) : rendered;
  return cropView(image, renderSize, channels, cropSize, randomView(renderSize, cropSize, rng, options.flip ?? true));
}

/** The 10 test views (cropSize x cropSize x channels each): center, 4 corners, then the same 5 mirrored. No augmentation. */
export function prepareTestViews(sketch: Sketch, options: SampleOptions): Float32Array[] {
  const { renderSize, cropSize, channels } = settings(options);
  const image = renderSketch(sketch, options);
  return testViews(renderSize, cropSize).map((view) => cropView(image, renderSize, channels, cropSize, view));
}
