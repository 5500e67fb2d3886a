// Sign packing of activations in WebAssembly SIMD (sign-pack-simd.wat): four channels per compare, no branch per
// value. xnor-conv.ts uses it where the engine has SIMD and its JavaScript loop otherwise.
import { wasmBase64 } from './sign-pack-simd.wasm.js';
import type { SignThresholds } from './xnor-conv.js';
import { instantiateWasm } from './wasm-bytes.js';

type PackExport = (x: number, pixels: number, channels: number, wpp: number, thr: number, neg: number, out: number) => void;

export interface SignPackKernel {
  /**
   * Per pixel, ceil(channels/32) words; bit k of word w is 1 where channel 32w+k counts as -1: x < threshold
   * (x > threshold where `negate`), or x < 0 without thresholds (so 0 and -0 are +1).
   */
  pack(x: ArrayLike<number>, pixels: number, channels: number, fold?: SignThresholds): Uint32Array;
}

let kernel: SignPackKernel | undefined;

/** The SIMD sign packer (callers check hasWasmSimd() first). */
export function signPackKernel(): SignPackKernel {
  kernel ??= instantiate();
  return kernel;
}

function instantiate(): SignPackKernel {
  const instance = instantiateWasm(wasmBase64);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const packExport = instance.exports.pack as PackExport;
  return {
    pack(x, pixels, channels, fold) {
      if (x.length !== pixels * channels) throw new RangeError(`sign pack: ${x.length} values for ${pixels} pixels of ${channels} channels`);
      if (fold && (fold.threshold.length !== channels || fold.negate.length !== channels)) {
        throw new RangeError(`xnorConv2d: ${fold.threshold.length} thresholds for ${channels} channels`);
      }
      const wpp = Math.ceil(channels / 32);
      // layout: [x | thresholds | negate masks | out], 16-byte aligned
      const thrAt = Math.ceil((x.length * 4) / 16) * 16;
      const negAt = thrAt + Math.ceil((channels * 4) / 16) * 16;
      const outAt = negAt + Math.ceil((channels * 4) / 16) * 16;
      const missing = outAt + pixels * wpp * 4 - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / 65536));
      new Float32Array(memory.buffer, 0, x.length).set(x);
      const thr = new Float32Array(memory.buffer, thrAt, channels);
      const neg = new Int32Array(memory.buffer, negAt, channels);
      if (fold) {
        thr.set(fold.threshold);
        for (let c = 0; c < channels; c++) neg[c] = fold.negate[c] ? -1 : 0;
      } else {
        thr.fill(0);
        neg.fill(0);
      }
      packExport(0, pixels, channels, wpp, thrAt, negAt, outAt);
      return new Uint32Array(memory.buffer.slice(outAt, outAt + pixels * wpp * 4));
    },
  };
}
