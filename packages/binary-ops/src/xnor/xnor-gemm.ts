// Runs the XNOR-popcount GEMM kernels (xnor-gemm-*.wat): WebAssembly SIMD where the engine has it, the scalar
// module otherwise. The modules are tiny, so they compile synchronously in Node and browsers alike.
import { wasmBase64 as simdBase64 } from './xnor-gemm-simd.wasm.js';
import { wasmBase64 as scalarBase64 } from './xnor-gemm-scalar.wasm.js';
import type { PackedSigns } from './pack.js';

type GemmExport = (a: number, b: number, out: number, m: number, n: number, groups: number) => void;

export interface XnorGemmKernel {
  /** Whether this instance runs the SIMD module. */
  readonly simd: boolean;
  /**
   * Dot products of every row of `a` with every row of `b`, both +-1 vectors of the same length:
   * out[i * b.rows + j] = length - 2 * popcount(a_i xor b_j), exact integers.
   */
  dot(a: PackedSigns, b: PackedSigns, out?: Int32Array): Int32Array;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let simdSupport: boolean | undefined;
/** Whether this engine validates the SIMD module. */
export function hasWasmSimd(): boolean {
  simdSupport ??= WebAssembly.validate(decode(simdBase64));
  return simdSupport;
}

const kernels = new Map<boolean, XnorGemmKernel>();

/** The kernel instance (one per kind, with its own growing memory). */
export function xnorGemmKernel(options: { simd?: boolean } = {}): XnorGemmKernel {
  const simd = options.simd ?? hasWasmSimd();
  if (simd && !hasWasmSimd()) throw new Error('This WebAssembly engine has no SIMD support; use { simd: false }.');
  let kernel = kernels.get(simd);
  if (!kernel) {
    kernel = instantiate(simd);
    kernels.set(simd, kernel);
  }
  return kernel;
}

function instantiate(simd: boolean): XnorGemmKernel {
  const module = new WebAssembly.Module(decode(simd ? simdBase64 : scalarBase64));
  const instance = new WebAssembly.Instance(module, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const gemm = instance.exports.gemm as GemmExport;

  const reserve = (bytes: number): void => {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  };

  return {
    simd,
    dot(a, b, out) {
      if (a.length !== b.length || a.groups !== b.groups) {
        throw new RangeError(`xnor dot: rows of length ${a.length} and ${b.length} cannot be multiplied`);
      }
      const count = a.rows * b.rows;
      const result = out ?? new Int32Array(count);
      if (result.length < count) throw new RangeError(`xnor dot: output holds ${result.length} < ${count} values`);
      const aBytes = a.bits.byteLength;
      const bBytes = b.bits.byteLength;
      reserve(aBytes + bBytes + count * 4);
      const heap = new Uint8Array(memory.buffer);
      heap.set(new Uint8Array(a.bits.buffer, a.bits.byteOffset, aBytes), 0);
      heap.set(new Uint8Array(b.bits.buffer, b.bits.byteOffset, bBytes), aBytes);
      const outPtr = aBytes + bBytes;
      gemm(0, aBytes, outPtr, a.rows, b.rows, a.groups);
      const pop = new Int32Array(memory.buffer, outPtr, count);
      for (let i = 0; i < count; i++) result[i] = a.length - 2 * pop[i];
      return result;
    },
  };
}
