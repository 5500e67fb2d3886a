// The one rasterizer: strokes -> a square float image, ink = 1. Pure TypeScript with plain double arithmetic,
// so Node, browsers and worker threads all give bit-identical output. Lines are anti-aliased by exact
// coverage of a capsule (the segment thickened by half the line width) with a one-pixel linear ramp; where
// lines overlap the darker value wins (max), so joints and crossings do not darken twice.
import type { GrayImage, Stroke } from './types.js';

export interface RasterizeOptions {
  /** Side of the square image in pixels (default 256). */
  size?: number;
  /** Line width in pixels (default `defaultLineWidth(size)`: 3 px at 256, proportional, at least 1.5). */
  lineWidth?: number;
  /** Blank border in pixels around the drawing's points (default `defaultMargin(size)`). */
  margin?: number;
}

export const DEFAULT_RENDER_SIZE = 256;

/** 3 px at 256, proportional to the size, at least 1.5 px (thinner lines fade to gray between pixel centers). */
export function defaultLineWidth(size: number): number {
  return Math.max(1.5, (size * 3) / 256);
}

/** About 15.5 px at 256: the drawing then fills a centered 225 crop of a 256 image exactly. */
export function defaultMargin(size: number): number {
  return (size * 31) / 512;
}

/** Image coordinates of a source point: (x * scale + offsetX, y * scale + offsetY). */
export interface PixelTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** The bounding box of all points; `undefined` for a drawing without points. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The options with their defaults filled in, checked. */
export function rasterSettings(options: RasterizeOptions = {}): Required<RasterizeOptions> {
  const size = options.size ?? DEFAULT_RENDER_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new Error(`rasterize: size must be a positive integer, got ${size}`);
  const lineWidth = options.lineWidth ?? defaultLineWidth(size);
  if (!(lineWidth > 0) || !Number.isFinite(lineWidth)) throw new Error(`rasterize: lineWidth must be a positive number, got ${lineWidth}`);
  const margin = options.margin ?? defaultMargin(size);
  if (!(margin >= 0) || margin * 2 >= size) throw new Error(`rasterize: margin must be in [0, size / 2), got ${margin} for size ${size}`);
  return { size, lineWidth, margin };
}

/**
 * Scales the drawing uniformly (keeping its aspect ratio) so that its bounding box fits a square of side
 * `size - 2 * margin`, centered. A drawing with no extent (one point) keeps scale 1 and is centered.
 */
export function strokeBounds(strokes: readonly Stroke[]): Bounds | undefined {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { x, y } of strokes) {
    for (let i = 0; i < x.length; i++) {
      if (x[i]! < minX) minX = x[i]!;
      if (x[i]! > maxX) maxX = x[i]!;
      if (y[i]! < minY) minY = y[i]!;
      if (y[i]! > maxY) maxY = y[i]!;
    }
  }
  return minX === Infinity ? undefined : { minX, minY, maxX, maxY };
}

export function fitTransform(strokes: readonly Stroke[], size: number, margin: number): PixelTransform {
  const bounds = strokeBounds(strokes);
  if (!bounds) return { scale: 1, offsetX: 0, offsetY: 0 };
  const { minX, minY, maxX, maxY } = bounds;
  const extent = Math.max(maxX - minX, maxY - minY);
  const scale = extent > 0 ? (size - 2 * margin) / extent : 1;
  return { scale, offsetX: size / 2 - ((minX + maxX) / 2) * scale, offsetY: size / 2 - ((minY + maxY) / 2) * scale };
}

/**
 * Draws strokes into `target`, an interleaved size x size x channels image, at `channel`. Coordinates go
 * through `transform`; pixel (col, row) has its center at (col + 0.5, row + 0.5).
 */
export function drawStrokes(
  target: Float32Array,
  size: number,
  strokes: readonly Stroke[],
  transform: PixelTransform,
  lineWidth: number,
  channels = 1,
  channel = 0,
): void {
  const { scale, offsetX, offsetY } = transform;
  // Coverage falls linearly from 1 at distance halfWidth - 0.5 to 0 at halfWidth + 0.5.
  const reach = lineWidth / 2 + 0.5;
  for (const { x, y } of strokes) {
    const n = x.length;
    if (n === 0) continue;
    let x0 = x[0]! * scale + offsetX;
    let y0 = y[0]! * scale + offsetY;
    if (n === 1) drawSegment(target, size, channels, channel, x0, y0, x0, y0, reach);
    for (let i = 1; i < n; i++) {
      const x1 = x[i]! * scale + offsetX;
      const y1 = y[i]! * scale + offsetY;
      drawSegment(target, size, channels, channel, x0, y0, x1, y1, reach);
      x0 = x1;
      y0 = y1;
    }
  }
}

function drawSegment(
  target: Float32Array,
  size: number,
  channels: number,
  channel: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  reach: number,
): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length2 = dx * dx + dy * dy;
  const length = Math.sqrt(length2);
  const reach2 = reach * reach;
  const core2 = reach > 1 ? (reach - 1) * (reach - 1) : -1;
  const rowStart = Math.max(0, Math.floor(Math.min(y0, y1) - reach - 0.5));
  const rowEnd = Math.min(size - 1, Math.ceil(Math.max(y0, y1) + reach - 0.5));
  const boxColStart = Math.max(0, Math.floor(Math.min(x0, x1) - reach - 0.5));
  const boxColEnd = Math.min(size - 1, Math.ceil(Math.max(x0, x1) + reach - 0.5));
  // Rows of a steep segment only need the columns near the line: |cross(p - p0, d)| <= reach * |d|.
  const useSpan = Math.abs(dy) > 1e-6 * (length + 1);
  for (let row = rowStart; row <= rowEnd; row++) {
    const py = row + 0.5;
    let colStart = boxColStart;
    let colEnd = boxColEnd;
    if (useSpan) {
      const center = x0 + ((py - y0) * dx) / dy;
      const halfSpan = (reach * length) / Math.abs(dy);
      colStart = Math.max(colStart, Math.floor(center - halfSpan - 1));
      colEnd = Math.min(colEnd, Math.ceil(center + halfSpan + 1));
    }
    const ey = py - y0;
    for (let col = colStart; col <= colEnd; col++) {
      const ex = col + 0.5 - x0;
      let t = length2 > 0 ? (ex * dx + ey * dy) / length2 : 0;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const rx = ex - t * dx;
      const ry = ey - t * dy;
      const distance2 = rx * rx + ry * ry;
      if (distance2 >= reach2) continue;
      // Inside the solid core no square root is needed: coverage is 1.
      let coverage = distance2 <= core2 ? 1 : reach - Math.sqrt(distance2);
      if (coverage > 1) coverage = 1;
      const index = (row * size + col) * channels + channel;
      if (coverage > target[index]!) target[index] = coverage;
    }
  }
}

/** The first point that is not finite, as `stroke s: point i is (x, y): not finite`, or undefined. */
export function nonFinitePoint(strokes: readonly Stroke[]): string | undefined {
  for (let s = 0; s < strokes.length; s++) {
    const { x, y } = strokes[s]!;
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) return `stroke ${s}: point ${i} is (${x[i]}, ${y[i]}): not finite`;
    }
  }
  return undefined;
}

/** The fit of drawable strokes: a NaN or infinite coordinate would silently give a blank (or partial) image. */
function checkedFit(strokes: readonly Stroke[], size: number, margin: number): PixelTransform {
  const bad = nonFinitePoint(strokes);
  if (bad) throw new Error(`rasterize: ${bad}`);
  return fitTransform(strokes, size, margin);
}

/** Renders strokes into a new square image, scaled to fit with a margin, ink = 1 on 0. Throws on non-finite coordinates. */
export function rasterize(strokes: readonly Stroke[], options: RasterizeOptions = {}): GrayImage {
  const { size, lineWidth, margin } = rasterSettings(options);
  const data = new Float32Array(size * size);
  drawStrokes(data, size, strokes, checkedFit(strokes, size, margin), lineWidth);
  return { width: size, height: size, data };
}

/**
 * Renders strokes into `channels` interleaved channels by drawing order (size x size x channels): with 3,
 * the first third of the strokes go to channel 0, the middle third to 1, the last third to 2 (stroke i of n
 * to channel floor(i * channels / n)). All channels share one fit, so they overlay exactly.
 */
export function rasterizeByStrokeOrder(strokes: readonly Stroke[], channels: number, options: RasterizeOptions = {}): Float32Array {
  if (!Number.isInteger(channels) || channels < 1) throw new Error(`rasterizeByStrokeOrder: channels must be a positive integer, got ${channels}`);
  const { size, lineWidth, margin } = rasterSettings(options);
  const data = new Float32Array(size * size * channels);
  const transform = checkedFit(strokes, size, margin);
  const n = strokes.length;
  for (let c = 0; c < channels; c++) {
    const group = strokes.filter((_, i) => Math.floor((i * channels) / n) === c);
    drawStrokes(data, size, group, transform, lineWidth, channels, c);
  }
  return data;
}
