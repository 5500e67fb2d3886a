// What a stroke augmentation is (a registry plugin that maps strokes to new strokes with a seeded RNG), and the
// geometry helpers the built-in ones share.
import type { Plugin, PluginConfig } from '@sketch-xnor/registry';
import { strokeBounds } from '../rasterize.js';
import type { Rng } from '../random.js';
import type { Stroke } from '../types.js';

export interface StrokeAugmentation extends Plugin {
  /** New strokes; the input is never modified. All randomness comes from `rng`. */
  apply(strokes: readonly Stroke[], rng: Rng): Stroke[];
  /**
   * The same transform on a rendered square (size x size x channels), for sketches that have only pixels
   * (TU-Berlin PNGs), drawing from `rng` exactly as `apply` does. Absent when the step needs strokes (stroke removal,
   * deformation): raster sketches then skip it.
   */
  applyToImage?(image: Float32Array, size: number, channels: number, rng: Rng): Float32Array;
}

export interface AugmentationFactory {
  readonly name: string;
  readonly description?: string;
  create(options: Record<string, unknown>): StrokeAugmentation;
}

/** A plugin whose config is its (checked, defaulted) options. */
export function augmentationPlugin<O extends object>(
  name: string,
  options: O,
  apply: StrokeAugmentation['apply'],
  applyToImage?: StrokeAugmentation['applyToImage'],
): StrokeAugmentation {
  return { name, getConfig: (): PluginConfig => ({ ...options, name }), apply, ...(applyToImage && { applyToImage }) };
}

/** A finite number option with a default, checked against [min, max]. */
export function numberOption(options: Record<string, unknown>, key: string, fallback: number, min: number, max = Infinity): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${key} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Refuses option names the augmentation does not know (a typo would otherwise silently use the default). */
export function checkKnownOptions(options: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
}

/** Center of the bounding box and its larger side (1 for a drawing without extent), the scale of displacements. */
export function drawingFrame(strokes: readonly Stroke[]): { cx: number; cy: number; extent: number } {
  const bounds = strokeBounds(strokes);
  if (!bounds) return { cx: 0, cy: 0, extent: 1 };
  const extent = Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY);
  return { cx: (bounds.minX + bounds.maxX) / 2, cy: (bounds.minY + bounds.maxY) / 2, extent: extent > 0 ? extent : 1 };
}

/** Every point moved by `move(x, y, strokeIndex, pointIndex)`; times are kept. */
export function mapPoints(strokes: readonly Stroke[], move: (x: number, y: number, stroke: number, point: number) => [number, number]): Stroke[] {
  return strokes.map((stroke, s) => {
    const x = new Float32Array(stroke.x.length);
    const y = new Float32Array(stroke.y.length);
    for (let i = 0; i < x.length; i++) [x[i], y[i]] = move(stroke.x[i]!, stroke.y[i]!, s, i);
    return stroke.t ? { x, y, t: stroke.t } : { x, y };
  });
}

/** Polyline length. */
export function strokeLength(stroke: Stroke): number {
  let length = 0;
  for (let i = 1; i < stroke.x.length; i++) length += Math.hypot(stroke.x[i]! - stroke.x[i - 1]!, stroke.y[i]! - stroke.y[i - 1]!);
  return length;
}
