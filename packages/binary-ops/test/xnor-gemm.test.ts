import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packSignRows, unpackSignRows } from '../src/xnor/pack.js';
import { hasWasmSimd, xnorGemmKernel } from '../src/xnor/xnor-gemm.js';
// @ts-expect-error plain JS build script
import { compileWat, moduleSource } from '../scripts/build-wasm.mjs';

const xnorDir = fileURLToPath(new URL('../src/xnor/', import.meta.url));

function randomSigns(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // include exact zeros: they count as +1
    out[i] = (s >>> 8) % 5 === 0 ? 0 : (s & 0x80000) ? 1.5 : -0.25;
  }
  return out;
}

function referenceDot(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Int32Array {
  const sign = (v: number) => (v >= 0 ? 1 : -1);
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += sign(a[i * k + c]) * sign(b[j * k + c]);
      out[i * n + j] = s;
    }
  return out;
}

describe('sign packing', () => {
  it('round-trips signs with 0 as +1 and pads rows to 128-bit groups', () => {
    const v = new Float32Array([0, -1, 2, -0.5, 3, -7, 0.1]);
    const p = packSignRows(v, 1, 7);
    expect(p.groups).toBe(1);
    expect(p.bits.length).toBe(4);
    expect(p.bits[0]).toBe(0b0101010);
    expect(Array.from(unpackSignRows(p))).toEqual([1, -1, 1, -1, 1, -1, 1]);
    expect(() => packSignRows(v, 2, 7)).toThrow(/expected 2x7 = 14 values, got 7/);
  });
});

describe.each([true, false])('xnor-popcount GEMM (simd: %s)', (simd) => {
  it.skipIf(simd && !hasWasmSimd())('equals the float +-1 dot product exactly on random shapes', () => {
    const kernel = xnorGemmKernel({ simd });
    expect(kernel.simd).toBe(simd);
    const shapes = [[1, 1, 1], [3, 5, 31], [7, 9, 32], [5, 4, 33], [13, 8, 127], [2, 11, 128], [6, 7, 129], [17, 19, 1152], [4, 6, 2304]];
    for (const [m, n, k] of shapes) {
      const a = randomSigns(m * k, m * 31 + k);
      const b = randomSigns(n * k, n * 17 + k + 1);
      const got = kernel.dot(packSignRows(a, m, k), packSignRows(b, n, k));
      expect(Array.from(got), `${m}x${n}x${k}`).toEqual(Array.from(referenceDot(a, b, m, n, k)));
    }
  });
});

describe('compiled kernels', () => {
  it('the committed .wasm.ts modules match their .wat sources', async () => {
    for (const wat of readdirSync(xnorDir).filter((f) => f.endsWith('.wat'))) {
      const bytes = await compileWat(join(xnorDir, wat));
      const committed = readFileSync(join(xnorDir, wat.replace(/\.wat$/, '.wasm.ts')), 'utf8');
      expect(committed, `${wat}: run node packages/binary-ops/scripts/build-wasm.mjs`).toBe(moduleSource(wat, bytes));
    }
  });
});
