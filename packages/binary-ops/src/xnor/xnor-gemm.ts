// Runs the XNOR-popcount GEMM kernels (xnor-gemm-*.wat): WebAssembly SIMD where the engine has it, the scalar
// module otherwise. The modules are tiny, so they compile synchronously in Node and browsers alike.
import { wasmBase64 as simdBase64 } from './xnor-gemm-simd.wasm.js';
import { wasmBase64 as scalarBase64 } from './xnor-gemm-scalar.wasm.js';
import { wasmBase64 as scaleSimdBase64 } from './xnor-scale-simd.wasm.js';
import type { PackedSigns } from './pack.js';
import { decodeWasm, instantiateWasm } from './wasm-bytes.js';

type GemmExport = (a: number, b: number, out: number, m: number, n: number, groups: number) => void;
type ScaleExport = (pop: number, out: number, rows: number, n: number, length: number, alpha: number, bias: number) => void;

export interface XnorGemmKernel {
  /** Whether this instance runs the SIMD module. */
  readonly simd: boolean;
  /**
   * Dot products of every row of `a` with every row of `b`, both +-1 vectors of the same length:
   * out[i * b.rows + j] = length - 2 * popcount(a_i xor b_j), exact integers.
   */
  dot(a: PackedSigns, b: PackedSigns, out?: Int32Array): Int32Array;
  /**
   * The dot products scaled per column and shifted, in the same pass that reads them out of the kernel's memory:
   * out[i * b.rows + j] = dot(a_i, b_j) * scale[j] + shift[j]. A binary layer's output (scale = alpha per filter,
   * shift = bias) without an intermediate integer array.
   */
  dotScaled(a: PackedSigns, b: PackedSigns, scale: Float32Array, shift: Float32Array | undefined, out?: Float32Array): Float32Array;
}

let simdSupport: boolean | undefined;
/** Whether this engine validates the SIMD module. */
export function hasWasmSimd(): boolean {
  simdSupport ??= WebAssembly.validate(decodeWasm(simdBase64));
  return simdSupport;
}

/**
 * A getter of one instance per kind (SIMD or scalar module), each with its own growing memory, made on first use:
 * SIMD where the engine has it unless `{ simd: false }` is asked for.
 */
export function perSimdKind<T>(create: (simd: boolean) => T): (options?: { simd?: boolean }) => T {
  const instances = new Map<boolean, T>();
  return (options = {}) => {
    const simd = options.simd ?? hasWasmSimd();
    if (simd && !hasWasmSimd()) throw new Error('This WebAssembly engine has no SIMD support; use { simd: false }.');
    let instance = instances.get(simd);
    if (instance === undefined) {
      instance = create(simd);
      instances.set(simd, instance);
    }
    return instance;
  };
}

/** The XNOR GEMM kernel instance (one per kind, with its own growing memory). */
export const xnorGemmKernel: (options?: { simd?: boolean }) => XnorGemmKernel = perSimdKind(instantiate);

function instantiate(simd: boolean): XnorGemmKernel {
  const instance = instantiateWasm(simd ? simdBase64 : scalarBase64);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const gemm = instance.exports.gemm as GemmExport;

  // the SIMD read-out (xnor-scale-simd.wat) works in the GEMM's memory; without SIMD a JavaScript loop does it
  const scaleInPlace = simd
    ? (instantiateWasm(scaleSimdBase64, { gemm: { memory } }).exports.scale as ScaleExport)
    : undefined;

  const reserve = (bytes: number): void => {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  };

  /** Runs the GEMM; returns the popcounts as a view on the kernel's memory (valid until the next call). */
  const popcounts = (a: PackedSigns, b: PackedSigns, extraBytes = 0): Int32Array => {
    if (a.length !== b.length || a.groups !== b.groups) {
      throw new RangeError(`xnor dot: rows of length ${a.length} and ${b.length} cannot be multiplied`);
    }
    const count = a.rows * b.rows;
    const aBytes = a.bits.byteLength;
    const bBytes = b.bits.byteLength;
    reserve(aBytes + bBytes + count * 4 + extraBytes);
    const heap = new Uint8Array(memory.buffer);
    heap.set(new Uint8Array(a.bits.buffer, a.bits.byteOffset, aBytes), 0);
    heap.set(new Uint8Array(b.bits.buffer, b.bits.byteOffset, bBytes), aBytes);
    const outPtr = aBytes + bBytes;
    gemm(0, aBytes, outPtr, a.rows, b.rows, a.groups);
    return new Int32Array(memory.buffer, outPtr, count);
  };

  return {
    simd,
    dot(a, b, out) {
      const count = a.rows * b.rows;
      const result = out ?? new Int32Array(count);
      if (result.length < count) throw new RangeError(`xnor dot: output holds ${result.length} < ${count} values`);
      const pop = popcounts(a, b);
      for (let i = 0; i < count; i++) result[i] = a.length - 2 * pop[i]!;
      return result;
    },
    dotScaled(a, b, scale, shift, out) {
      const count = a.rows * b.rows;
      const result = out ?? new Float32Array(count);
      if (result.length < count) throw new RangeError(`xnor dot: output holds ${result.length} < ${count} values`);
      if (scale.length !== b.rows || (shift && shift.length !== b.rows)) {
        throw new RangeError(`xnor dot: ${scale.length} scales and ${shift?.length ?? 0} shifts for ${b.rows} columns`);
      }
      const n = b.rows;
      // alpha and bias go after the popcounts; the read-out overwrites the popcounts with the floats
      const pop = popcounts(a, b, 8 * n);
      if (scaleInPlace) {
        const alphaAt = pop.byteOffset + count * 4;
        const params = new Float32Array(memory.buffer, alphaAt, 2 * n);
        params.set(scale);
        if (shift) params.set(shift, n);
        else params.fill(0, n);
        scaleInPlace(pop.byteOffset, pop.byteOffset, a.rows, n, a.length, alphaAt, alphaAt + 4 * n);
        result.set(new Float32Array(memory.buffer, pop.byteOffset, count));
        return result;
      }
      const length = a.length;
      // dot * scale + shift = (length - 2 pop) * scale + shift = pop * (-2 scale) + (length * scale + shift), in
      // doubles (exact products of a float32 and an integer) so the result rounds to float32 once
      const slope = new Float64Array(n);
      const offset = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        slope[j] = -2 * scale[j]!;
        offset[j] = length * scale[j]! + (shift ? shift[j]! : 0);
      }
      for (let row = 0; row < count; row += n) {
        for (let j = 0; j < n; j++) result[row + j] = pop[row + j]! * slope[j]! + offset[j]!;
      }
      return result;
    },
  };
}
