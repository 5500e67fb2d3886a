// Resampling of raster-only sketches (TU-Berlin PNGs come at 150x150 or 1111x1111) to the render size.
// Separable triangle filter whose support widens with the downscale factor (what PIL's antialiased bilinear
// does): thin lines survive a 1111 -> 256 reduction instead of aliasing away, and a same-size resize is an exact copy.
import type { GrayImage } from './types.js';

interface AxisWeights {
  /** First input index of each output index. */
  starts: Int32Array;
  /** Number of taps of each output index. */
  counts: Int32Array;
  /** Weights, `maxTaps` per output index, normalized to sum 1. */
  weights: Float64Array;
  maxTaps: number;
}

function axisWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const first = Math.max(0, Math.floor(center - support));
    const last = Math.min(inSize - 1, Math.ceil(center + support));
    let sum = 0;
    let count = 0;
    for (let j = first; j <= last && count < maxTaps; j++) {
      const w = 1 - Math.abs(j + 0.5 - center) / support;
      if (w <= 0 && count === 0) continue; // skip leading zero taps so the window starts at the first real one
      weights[i * maxTaps + count] = Math.max(0, w);
      sum += Math.max(0, w);
      if (count === 0) starts[i] = j;
      count++;
    }
    for (let k = 0; k < count; k++) weights[i * maxTaps + k]! /= sum;
    counts[i] = count;
  }
  return { starts, counts, weights, maxTaps };
}

/** A resized copy of a grayscale image (values stay in the input's range). */
export function resizeImage(image: GrayImage, width: number, height: number): GrayImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resizeImage: width and height must be positive integers, got ${width}x${height}`);
  }
  if (image.data.length !== image.width * image.height || image.width < 1 || image.height < 1) {
    throw new Error(`resizeImage: a ${image.width}x${image.height} image needs ${image.width * image.height} values, got ${image.data.length}`);
  }
  const across = axisWeights(image.width, width);
  const down = axisWeights(image.height, height);
  // Rows first (input height x output width), then columns.
  const rows = new Float64Array(image.height * width);
  for (let r = 0; r < image.height; r++) {
    const row = r * image.width;
    for (let c = 0; c < width; c++) {
      let value = 0;
      const start = across.starts[c]!;
      for (let k = 0; k < across.counts[c]!; k++) value += across.weights[c * across.maxTaps + k]! * image.data[row + start + k]!;
      rows[r * width + c] = value;
    }
  }
  const data = new Float32Array(width * height);
  for (let r = 0; r < height; r++) {
    const start = down.starts[r]!;
    for (let c = 0; c < width; c++) {
      let value = 0;
      for (let k = 0; k < down.counts[r]!; k++) value += down.weights[r * down.maxTaps + k]! * rows[(start + k) * width + c]!;
      data[r * width + c] = value;
    }
  }
  return { width, height, data };
}
