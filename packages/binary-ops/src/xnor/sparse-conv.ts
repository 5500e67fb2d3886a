// Scatter convolution for sparse float inputs. A rendered sketch is mostly blank paper (about 8% of a Quick, Draw!
// view and 15% of a TU-Berlin one are nonzero), so Sketch-A-Net's conv1 (15x15, stride 3) wastes most of its dense
// multiply-adds on zeros. Scattering each nonzero input into the few outputs whose window holds it costs
// nnz * ceil(kh/sh) * ceil(kw/sw) * o multiply-adds instead of oh * ow * kh * kw * c * o. Two forms with one
// contract: `scatterConv2d` in TypeScript (the cpu kernel and the reference) and the WebAssembly kernels in
// sparse-conv-{simd,scalar}.wat (the wasm kernel).
import { convAxis } from './xnor-conv.js';
import { wasmBase64 as simdBase64 } from './sparse-conv-simd.wasm.js';
import { wasmBase64 as scalarBase64 } from './sparse-conv-scalar.wasm.js';
import { perSimdKind } from './xnor-gemm.js';
import { instantiateWasm } from './wasm-bytes.js';

/** Sizes of a convolution of NHWC input `[n, h, w, c]` with a kernel `[kh, kw, c, o]` (TF.js layouts). */
export interface SparseConvGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  o: number;
  strideH: number;
  strideW: number;
  outH: number;
  outW: number;
  /** Zero rows above and columns left of the input ('same' padding as TF pads: any extra goes bottom/right). */
  padTop: number;
  padLeft: number;
}

export function sparseConvGeometry(
  xShape: readonly number[],
  kernelShape: readonly number[],
  strides: readonly [number, number],
  padding: 'same' | 'valid',
): SparseConvGeometry {
  if (xShape.length !== 4 || kernelShape.length !== 4) {
    throw new RangeError(`sparse conv2d: input [${xShape}] and kernel [${kernelShape}] must both have rank 4 (NHWC and [kh, kw, in, out])`);
  }
  const [n, h, w, c] = xShape as [number, number, number, number];
  const [kh, kw, kc, o] = kernelShape as [number, number, number, number];
  if (kc !== c) throw new RangeError(`sparse conv2d: the kernel [${kernelShape}] expects ${kc} input channels, the input [${xShape}] has ${c}`);
  const [strideH, strideW] = strides;
  if (!(strideH >= 1 && strideW >= 1) || !Number.isInteger(strideH) || !Number.isInteger(strideW)) {
    throw new RangeError(`sparse conv2d: strides must be positive integers, got [${strides}]`);
  }
  const rows = convAxis(h, kh, strideH, padding);
  const cols = convAxis(w, kw, strideW, padding);
  if (rows.out < 1 || cols.out < 1) {
    throw new RangeError(`sparse conv2d: a ${kh}x${kw} '${padding}' window does not fit the ${h}x${w} input`);
  }
  return { n, h, w, c, kh, kw, o, strideH, strideW, outH: rows.out, outW: cols.out, padTop: rows.padBefore, padLeft: cols.padBefore };
}

/** The fraction of nonzero values. */
export function nonzeroFraction(x: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) count++;
  return x.length ? count / x.length : 0;
}

/** Output range [first, end) along one axis whose windows hold padded input index t. */
function reach(t: number, k: number, stride: number, size: number): [number, number] {
  const first = t - k + 1 <= 0 ? 0 : Math.ceil((t - k + 1) / stride);
  return [first, Math.min(Math.floor(t / stride) + 1, size)];
}

/**
 * conv2d(x, kernel) + bias, rectified when `relu`, by scattering only the nonzero inputs. Writes into `out`
 * (`n * outH * outW * o` values, NHWC) when given. Float sums in another order than a dense conv: equal within
 * float rounding.
 */
export function scatterConv2d(
  x: ArrayLike<number>,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  g: SparseConvGeometry,
  relu: boolean,
  out: Float32Array = new Float32Array(g.n * g.outH * g.outW * g.o),
): Float32Array {
  const { n, h, w, c, kh, kw, o, strideH, strideW, outH, outW, padTop, padLeft } = g;
  for (let p = 0; p < n * outH * outW; p++) for (let j = 0; j < o; j++) out[p * o + j] = bias ? bias[j]! : 0;
  let at = 0;
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < h; iy++) {
      const ty = iy + padTop;
      const [oy0, oy1] = reach(ty, kh, strideH, outH);
      for (let ix = 0; ix < w; ix++) {
        const tx = ix + padLeft;
        const [ox0, ox1] = reach(tx, kw, strideW, outW);
        for (let ci = 0; ci < c; ci++, at++) {
          const v = x[at]!;
          if (v === 0) continue;
          for (let oy = oy0; oy < oy1; oy++) {
            const ky = ty - oy * strideH;
            for (let ox = ox0; ox < ox1; ox++) {
              const kx = tx - ox * strideW;
              const wAt = ((ky * kw + kx) * c + ci) * o;
              const oAt = ((b * outH + oy) * outW + ox) * o;
              for (let j = 0; j < o; j++) out[oAt + j] += v * kernel[wAt + j]!;
            }
          }
        }
      }
    }
  }
  if (relu) for (let i = 0; i < out.length; i++) if (!(out[i]! > 0)) out[i] = 0;
  return out;
}

type ScatterExport = (x: number, w: number, out: number, ...sizes: number[]) => number;

/** The WebAssembly form of `scatterConv2d` (its own memory, grown as needed). */
export interface SparseConvKernel {
  readonly simd: boolean;
  /** Same contract as `scatterConv2d`; `out` may be a view on another wasm heap (e.g. the TF.js backend's). */
  run(x: ArrayLike<number>, kernel: ArrayLike<number>, bias: ArrayLike<number> | undefined, g: SparseConvGeometry, relu: boolean, out?: Float32Array): Float32Array;
}

/** The sparse-conv kernel instance: SIMD where the engine has it (or as asked), the scalar module otherwise. */
export const sparseConvKernel: (options?: { simd?: boolean }) => SparseConvKernel = perSimdKind(instantiate);

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

function instantiate(simd: boolean): SparseConvKernel {
  const instance = instantiateWasm(simd ? simdBase64 : scalarBase64);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const fillBias = instance.exports.fill_bias as (out: number, bias: number, positions: number, o: number) => void;
  const rectify = instance.exports.relu as (out: number, count: number) => void;
  const scatter = instance.exports.scatter as ScatterExport;
  return {
    simd,
    run(x, kernel, bias, g, relu, out) {
      const inputs = g.n * g.h * g.w * g.c;
      const weights = g.kh * g.kw * g.c * g.o;
      const outputs = g.n * g.outH * g.outW * g.o;
      if (x.length !== inputs || kernel.length !== weights || (bias && bias.length !== g.o)) {
        throw new RangeError(`sparse conv2d: got ${x.length} inputs, ${kernel.length} weights, ${bias?.length ?? 0} biases for geometry ${JSON.stringify(g)}`);
      }
      const result = out ?? new Float32Array(outputs);
      if (result.length < outputs) throw new RangeError(`sparse conv2d: output holds ${result.length} < ${outputs} values`);
      // one image at a time: its output (1.3 MB for conv1) stays in cache through fill, scatter, relu and copy.
      // layout: [x (all images) | kernel | bias | out (one image)], 16-byte aligned
      const imageInputs = g.h * g.w * g.c;
      const imageOutputs = g.outH * g.outW * g.o;
      const wAt = align16(inputs * 4);
      const biasAt = wAt + align16(weights * 4);
      const outAt = biasAt + align16(g.o * 4);
      const missing = outAt + imageOutputs * 4 - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / 65536));
      const heap = new Float32Array(memory.buffer);
      heap.set(x, 0);
      heap.set(kernel, wAt / 4);
      if (bias) heap.set(bias, biasAt / 4);
      else heap.fill(0, biasAt / 4, biasAt / 4 + g.o);
      const imageOut = heap.subarray(outAt / 4, outAt / 4 + imageOutputs);
      for (let b = 0; b < g.n; b++) {
        fillBias(outAt, biasAt, g.outH * g.outW, g.o);
        scatter(b * imageInputs * 4, wAt, outAt, 1, g.h, g.w, g.c, g.outH, g.outW, g.o, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft);
        if (relu) rectify(outAt, imageOutputs);
        result.set(imageOut, b * imageOutputs);
      }
      return result;
    },
  };
}
