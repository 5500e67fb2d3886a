import { describe, expect, it } from 'vitest';
import { hasWasmSimd } from '../src/xnor/xnor-gemm.js';
import { signPackKernel, type SignPackKernel } from '../src/xnor/sign-pack.js';
import { packSignsScalar } from '../src/xnor/xnor-conv.js';
import { sparseValues } from './sparse-cases.js';

/** Bit per channel from the definition: -1 where x < t (x > t when negated), plain sign (0 -> +1) without t. */
function reference(x: Float32Array, pixels: number, channels: number, fold?: { threshold: Float32Array; negate: Uint8Array }): Uint32Array {
  const wpp = Math.ceil(channels / 32);
  const out = new Uint32Array(pixels * wpp);
  for (let p = 0; p < pixels; p++)
    for (let c = 0; c < channels; c++) {
      const v = x[p * channels + c]!;
      const minus = fold ? (fold.negate[c] ? v > fold.threshold[c]! : v < fold.threshold[c]!) : v < 0;
      if (minus) out[p * wpp + (c >>> 5)]! |= 1 << (c & 31);
    }
  return out;
}

// The SIMD packer where the engine has it, and the JavaScript loop that engines without wasm SIMD run (Node always
// has SIMD, so the fallback is called directly here).
const packers: Array<[string, () => SignPackKernel, boolean]> = [
  ['SIMD', signPackKernel, hasWasmSimd()],
  ['JavaScript (no SIMD)', () => ({ pack: packSignsScalar }), true],
];

describe.each(packers)('%s sign packing', (_name, packer, available) => {
  it.runIf(available).each([3, 32, 37, 64, 100])('matches the definition with and without folded thresholds (%i channels)', (channels) => {
    const pixels = 11;
    const x = sparseValues(pixels * channels, 0.8, channels);
    x[0] = -0; // counts as +1
    const threshold = sparseValues(channels, 1, 7);
    threshold[1 % channels] = Infinity; // a folded BatchNorm with gamma = 0 and beta < 0: always -1
    threshold[2 % channels] = -Infinity;
    for (let c = 0; c < channels; c += 5) x[channels + c] = threshold[c]!; // equal to the threshold: +1 (negated too)
    const negate = Uint8Array.from({ length: channels }, (_, c) => (c % 3 === 0 ? 1 : 0));
    const kernel = packer();
    expect(kernel.pack(x, pixels, channels)).toEqual(reference(x, pixels, channels));
    expect(kernel.pack(x, pixels, channels, { threshold, negate })).toEqual(reference(x, pixels, channels, { threshold, negate }));
  });

  it.runIf(available)('rejects mismatched sizes', () => {
    expect(() => packer().pack(new Float32Array(10), 3, 3)).toThrow(/10 values for 3 pixels of 3 channels/);
    expect(() => packer().pack(new Float32Array(9), 3, 3, { threshold: new Float32Array(2), negate: new Uint8Array(2) })).toThrow(/2 thresholds for 3 channels/);
  });
});
