// 1-bit convolution and dense layers on packed signs: activations and weights binarized, every multiply-add an
// XNOR and a popcount (xnor-gemm). Spatial padding uses the layer's pad value (+1 or -1), never 0, so a binary
// network sees the same two values at its borders as it did in training.
import { type PackedSigns, groupsFor } from './pack.js';
import { xnorGemmKernel, hasWasmSimd } from './xnor-gemm.js';
import { signPackKernel } from './sign-pack.js';

const WORDS_PER_GROUP = 4;

/** A binarized kernel `[kh, kw, inChannels, outChannels]` packed per output filter, pixel by pixel. */
export interface PackedKernel {
  kh: number;
  kw: number;
  inChannels: number;
  outChannels: number;
  /** One row per output filter: kh*kw pixels of ceil(inChannels/32) words, padded to 128-bit groups. */
  rows: PackedSigns;
}

/**
 * A BatchNorm folded into the sign that follows it: per channel, the input counts as -1 where
 * x < threshold (or x > threshold where `negate` is 1, for a negative BatchNorm scale).
 */
export interface SignThresholds {
  threshold: Float32Array;
  negate: Uint8Array;
}

/** Folds BatchNorm (gamma, beta, mean, variance, epsilon) followed by sign(.) (0 -> +1) into per-channel thresholds. */
export function foldBatchNormIntoSign(
  gamma: ArrayLike<number>, beta: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, epsilon: number,
): SignThresholds {
  const n = gamma.length;
  const threshold = new Float32Array(n);
  const negate = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const sd = Math.sqrt(variance[c] + epsilon);
    if (gamma[c] === 0) {
      // a constant output beta: always +1 (beta >= 0) or always -1
      threshold[c] = beta[c] >= 0 ? -Infinity : Infinity;
    } else {
      // gamma * (x - mean) / sd + beta >= 0  <=>  x >= t (gamma > 0) or x <= t (gamma < 0)
      threshold[c] = mean[c] - (beta[c] * sd) / gamma[c];
      negate[c] = gamma[c] < 0 ? 1 : 0;
    }
  }
  return { threshold, negate };
}

export interface ConvGeometry {
  strides: [number, number];
  /** 'same' pads as TF does (extra on the bottom/right); 'valid' does not pad. */
  padding: 'same' | 'valid';
  /** The value that padded pixels carry: +1 or -1. */
  padValue: 1 | -1;
  /** A folded BatchNorm before the sign; without it the input's own sign is used. */
  thresholds?: SignThresholds;
}

const wordsPerPixel = (channels: number) => Math.ceil(channels / 32);

/** Packs a float kernel `[kh, kw, in, out]` (row-major, TF layout) by sign, one row per output filter. */
export function packKernel(kernel: ArrayLike<number>, kh: number, kw: number, inChannels: number, outChannels: number): PackedKernel {
  if (kernel.length !== kh * kw * inChannels * outChannels) {
    throw new RangeError(`packKernel: [${kh}, ${kw}, ${inChannels}, ${outChannels}] needs ${kh * kw * inChannels * outChannels} values, got ${kernel.length}`);
  }
  const wpp = wordsPerPixel(inChannels);
  const rowWords = kh * kw * wpp;
  const groups = groupsFor(rowWords * 32);
  const stride = groups * WORDS_PER_GROUP;
  const bits = new Uint32Array(outChannels * stride);
  for (let p = 0; p < kh * kw; p++) {
    for (let c = 0; c < inChannels; c++) {
      const src = (p * inChannels + c) * outChannels;
      const word = p * wpp + (c >>> 5);
      const bit = 1 << (c & 31);
      for (let o = 0; o < outChannels; o++) if (kernel[src + o] < 0) bits[o * stride + word] |= bit;
    }
  }
  return { kh, kw, inChannels, outChannels, rows: { bits, rows: outChannels, length: kh * kw * inChannels, groups } };
}

/** Output size and leading padding of one spatial axis, as TF computes them. */
export function convAxis(size: number, k: number, stride: number, padding: 'same' | 'valid'): { out: number; padBefore: number } {
  if (padding === 'valid') return { out: Math.floor((size - k) / stride) + 1, padBefore: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/** The sign-packed patches (im2col over packed words) of NHWC activations, one row per output pixel. */
function packedPatches(
  x: ArrayLike<number>,
  shape: [number, number, number, number],
  kernel: PackedKernel,
  geometry: ConvGeometry,
): { patchRows: PackedSigns; outShape: [number, number, number, number] } {
  const [n, h, w, c] = shape;
  if (c !== kernel.inChannels) throw new RangeError(`xnorConv2d: input has ${c} channels, kernel expects ${kernel.inChannels}`);
  const { kh, kw } = kernel;
  const [sy, sx] = geometry.strides;
  const rowsAxis = convAxis(h, kh, sy, geometry.padding);
  const colsAxis = convAxis(w, kw, sx, geometry.padding);
  const outH = rowsAxis.out;
  const outW = colsAxis.out;
  if (outH <= 0 || outW <= 0) throw new RangeError(`xnorConv2d: a ${h}x${w} input is smaller than the ${kh}x${kw} kernel`);

  const wpp = wordsPerPixel(c);
  const pixels = packPixels(x, n * h * w, c, geometry.thresholds);
  const padWords = padPixel(c, wpp, geometry.padValue);

  const stride = kernel.rows.groups * WORDS_PER_GROUP;
  const patches = n * outH * outW;
  const bits = new Uint32Array(patches * stride);
  let row = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, row++) {
        let dst = row * stride;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sy + ky - rowsAxis.padBefore;
          for (let kx = 0; kx < kw; kx++, dst += wpp) {
            const ix = ox * sx + kx - colsAxis.padBefore;
            // word copies: a pixel is only a few words, too few for subarray().set() to pay
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              for (let q = 0; q < wpp; q++) bits[dst + q] = padWords[q]!;
            } else {
              const src = ((b * h + iy) * w + ix) * wpp;
              for (let q = 0; q < wpp; q++) bits[dst + q] = pixels[src + q]!;
            }
          }
        }
      }
    }
  }
  const patchRows: PackedSigns = { bits, rows: patches, length: kernel.rows.length, groups: kernel.rows.groups };
  return { patchRows, outShape: [n, outH, outW, kernel.outChannels] };
}

/**
 * XNOR convolution of NHWC activations (binarized here by sign, 0 -> +1) with a packed kernel.
 * Returns the exact integer dot products `[n, outH, outW, outChannels]` before any scaling.
 */
export function xnorConv2dCounts(
  x: ArrayLike<number>,
  shape: [number, number, number, number],
  kernel: PackedKernel,
  geometry: ConvGeometry,
): { counts: Int32Array; outShape: [number, number, number, number] } {
  const { patchRows, outShape } = packedPatches(x, shape, kernel, geometry);
  return { counts: xnorGemmKernel().dot(patchRows, kernel.rows), outShape };
}

/**
 * The float output of a binary layer: XNOR convolution counts times alpha (per output channel) plus bias, scaled
 * as the GEMM's results are read out (no integer array in between). Equals scaleCounts(xnorConv2dCounts(...)).
 */
export function xnorConv2dScaled(
  x: ArrayLike<number>,
  shape: [number, number, number, number],
  kernel: PackedKernel,
  geometry: ConvGeometry,
  alpha: Float32Array,
  bias?: Float32Array,
): { values: Float32Array; outShape: [number, number, number, number] } {
  const [n, h, w, c] = shape;
  const outH = convAxis(h, kernel.kh, geometry.strides[0], geometry.padding).out;
  const outW = convAxis(w, kernel.kw, geometry.strides[1], geometry.padding).out;
  const perImage = Math.max(0, outH * outW) * kernel.outChannels;
  const values = new Float32Array(n * perImage);
  // one image at a time: its patches and outputs stay in cache (at batch 8, conv2's are 8 x 1.6 MB)
  for (let b = 0; b < n; b++) {
    const xb = 'subarray' in x ? (x as Float32Array).subarray(b * h * w * c, (b + 1) * h * w * c) : Array.prototype.slice.call(x, b * h * w * c, (b + 1) * h * w * c);
    const { patchRows } = packedPatches(xb, [1, h, w, c], kernel, geometry);
    xnorGemmKernel().dotScaled(patchRows, kernel.rows, alpha, bias, values.subarray(b * perImage, (b + 1) * perImage));
  }
  return { values, outShape: [n, outH, outW, kernel.outChannels] };
}

/** Scales integer dot products per output channel (alpha) and adds a bias: the float output of a BWN/XNOR layer. */
export function scaleCounts(counts: Int32Array, alpha: ArrayLike<number>, bias?: ArrayLike<number>): Float32Array {
  const channels = alpha.length;
  const out = new Float32Array(counts.length);
  const b = bias ?? new Float32Array(channels);
  // row by row: no modulo or branch per value
  for (let row = 0; row < counts.length; row += channels) {
    for (let o = 0; o < channels; o++) out[row + o] = counts[row + o]! * alpha[o]! + b[o]!;
  }
  return out;
}

function packPixels(x: ArrayLike<number>, pixels: number, channels: number, fold?: SignThresholds): Uint32Array {
  // the SIMD packer compares four channels at once without a branch per value (random signs mispredict here)
  return hasWasmSimd() ? signPackKernel().pack(x, pixels, channels, fold) : packSignsScalar(x, pixels, channels, fold);
}

/** The JavaScript sign packer, for engines without WebAssembly SIMD: the same bits as `signPackKernel().pack`. */
export function packSignsScalar(x: ArrayLike<number>, pixels: number, channels: number, fold?: SignThresholds): Uint32Array {
  if (x.length !== pixels * channels) throw new RangeError(`sign pack: ${x.length} values for ${pixels} pixels of ${channels} channels`);
  const wpp = wordsPerPixel(channels);
  const out = new Uint32Array(pixels * wpp);
  if (fold && (fold.threshold.length !== channels || fold.negate.length !== channels)) {
    throw new RangeError(`xnorConv2d: ${fold.threshold.length} thresholds for ${channels} channels`);
  }
  for (let p = 0; p < pixels; p++) {
    const src = p * channels;
    const dst = p * wpp;
    for (let c0 = 0; c0 < channels; c0 += 32) {
      const end = Math.min(32, channels - c0);
      let word = 0;
      if (fold) {
        for (let k = 0; k < end; k++) {
          const v = x[src + c0 + k];
          const t = fold.threshold[c0 + k];
          if (fold.negate[c0 + k] ? v > t : v < t) word |= 1 << k;
        }
      } else {
        for (let k = 0; k < end; k++) if (x[src + c0 + k] < 0) word |= 1 << k;
      }
      out[dst + (c0 >>> 5)] = word;
    }
  }
  return out;
}

function padPixel(channels: number, wpp: number, padValue: 1 | -1): Uint32Array {
  const words = new Uint32Array(wpp);
  if (padValue === -1) for (let c = 0; c < channels; c++) words[c >>> 5] |= 1 << (c & 31);
  return words;
}
