// RGBA rasters: colormapping scalar maps, nearest-neighbour upscaling, tiling into grids, PNG encoding.
// Pure functions over plain arrays; the only dependency is pngjs for the encoder.
import { PNG } from 'pngjs';
import { decodePngRgba } from '@sketch-xnor/data';
import { colorAt, colormap, type ColormapName } from './colormap.js';

/** An 8-bit RGBA raster, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** One single-channel float map, row-major (a feature map, a saliency map, a grayscale image). */
export interface ScalarMap {
  width: number;
  height: number;
  data: Float32Array;
}

/** A float image in height-width-channel order, as a network sees it. */
export interface HwcImage {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

export type Rgb = readonly [number, number, number];

export function createRgba(width: number, height: number, fill: Rgb = [255, 255, 255]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([fill[0], fill[1], fill[2], 255], i * 4);
  return { width, height, data };
}

/** [min, max] of the finite values (or [0, 0] when there are none). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? [low, high] : [0, 0];
}

/** [-m, m] with m the largest magnitude, so that 0 sits at the middle of a diverging colormap. */
export function symmetricRange(values: ArrayLike<number>): [number, number] {
  const [low, high] = valueRange(values);
  const magnitude = Math.max(Math.abs(low), Math.abs(high));
  return [-magnitude, magnitude];
}

export interface ColorizeOptions {
  colormap?: ColormapName;
  /** Values mapped to the ends of the colormap; default: the map's own min and max. */
  range?: [number, number];
}

/** Colors a scalar map; a constant map (empty range) takes the colormap's low end. */
export function colorize(map: ScalarMap, options: ColorizeOptions = {}): RgbaImage {
  const table = colormap(options.colormap ?? 'viridis');
  const [low, high] = options.range ?? valueRange(map.data);
  const span = high - low;
  const image = createRgba(map.width, map.height);
  for (let i = 0; i < map.width * map.height; i++) {
    const color = colorAt(table, span > 0 ? (map.data[i]! - low) / span : 0);
    image.data.set(color, i * 4);
  }
  return image;
}

/** Nearest-neighbour upscaling by an integer factor, so that single units stay crisp squares. */
export function upscale(image: RgbaImage, factor: number): RgbaImage {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`upscale factor must be a positive integer, got ${factor}`);
  if (factor === 1) return image;
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const source = (sourceRow + Math.floor(x / factor)) * 4;
      data.set(image.data.subarray(source, source + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** The smallest integer factor that makes `size` at least `minimum` pixels (1 when it already is). */
export function upscaleFactorFor(size: number, minimum: number): number {
  return Math.max(1, Math.ceil(minimum / Math.max(1, size)));
}

/** Copies `source` into `target` with its top-left corner at (x, y). */
export function blit(target: RgbaImage, source: RgbaImage, x: number, y: number): void {
  for (let row = 0; row < source.height; row++) {
    const from = row * source.width * 4;
    target.data.set(source.data.subarray(from, from + source.width * 4), ((y + row) * target.width + x) * 4);
  }
}

export interface GridLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  gap: number;
  /** Top-left corner of every tile, in tile order. */
  origins: [number, number][];
}

export interface GridOptions {
  /** Default: ceil(sqrt(tile count)), a near-square grid. */
  columns?: number;
  /** Pixels between tiles. */
  gap?: number;
  background?: Rgb;
}

/** Lays equal-sized tiles out row by row. */
export function tileGrid(tiles: readonly RgbaImage[], options: GridOptions = {}): { image: RgbaImage; layout: GridLayout } {
  if (tiles.length === 0) throw new Error('tileGrid needs at least one tile');
  const { width: tileWidth, height: tileHeight } = tiles[0]!;
  if (tiles.some((t) => t.width !== tileWidth || t.height !== tileHeight)) throw new Error('tileGrid tiles must share one size');
  const gap = options.gap ?? 2;
  const columns = Math.max(1, Math.min(tiles.length, options.columns ?? Math.ceil(Math.sqrt(tiles.length))));
  const rows = Math.ceil(tiles.length / columns);
  const image = createRgba(columns * tileWidth + (columns - 1) * gap, rows * tileHeight + (rows - 1) * gap, options.background ?? [255, 255, 255]);
  const origins: [number, number][] = tiles.map((tile, i) => {
    const origin: [number, number] = [(i % columns) * (tileWidth + gap), Math.floor(i / columns) * (tileHeight + gap)];
    blit(image, tile, origin[0], origin[1]);
    return origin;
  });
  return { image, layout: { columns, rows, tileWidth, tileHeight, gap, origins } };
}

/** Places images left to right, top-aligned (heights may differ). Returns each image's x offset. */
export function concatHorizontal(images: readonly RgbaImage[], gap = 12, background: Rgb = [255, 255, 255]): { image: RgbaImage; offsets: number[] } {
  if (images.length === 0) throw new Error('concatHorizontal needs at least one image');
  const width = images.reduce((sum, image) => sum + image.width, 0) + gap * (images.length - 1);
  const height = Math.max(...images.map((image) => image.height));
  const image = createRgba(width, height, background);
  const offsets: number[] = [];
  let x = 0;
  for (const part of images) {
    offsets.push(x);
    blit(image, part, x, 0);
    x += part.width + gap;
  }
  return { image, offsets };
}

/** Channel `channel` of an HWC image as a scalar map. */
export function channelOf(image: HwcImage, channel: number): ScalarMap {
  const data = new Float32Array(image.height * image.width);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i * image.channels + channel]!;
  return { width: image.width, height: image.height, data };
}

export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const bytes = PNG.sync.write(png);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes PNG bytes to RGBA (any bit depth and color type); `source` names the file in errors. The header is checked
 * before anything is inflated (@sketch-xnor/data's limits), so a decompression bomb is refused, not decoded.
 */
export function decodePng(bytes: Uint8Array, source = 'PNG data'): RgbaImage {
  const { width, height, data } = decodePngRgba(bytes, source);
  return { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}
