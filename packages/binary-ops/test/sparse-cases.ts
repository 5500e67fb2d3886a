// Shared cases of the sparse-conv tests: geometries that cover conv1's, odd sizes, 'same' padding, dense and empty inputs.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Values in (-1, 1) where `density` of them are nonzero, in strokes-like runs as well as isolated points. */
export function sparseValues(count: number, density: number, seed: number): Float32Array {
  const next = lcg(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) if (next() < density) out[i] = next() * 2 - 1 || 0.5;
  return out;
}

export type Case = [shape: [number, number, number, number], k: [number, number], o: number, strides: [number, number], padding: 'same' | 'valid', density: number];

export const CASES: Case[] = [
  [[2, 45, 45, 1], [15, 15], 64, [3, 3], 'valid', 0.1], // conv1 geometry, small input
  [[1, 13, 11, 3], [3, 5], 7, [1, 2], 'same', 0.3], // odd sizes, odd output channels (SIMD tail)
  [[2, 9, 10, 2], [4, 4], 8, [2, 3], 'same', 1], // dense input, even kernel, uneven 'same' padding
  [[1, 8, 8, 5], [3, 3], 6, [1, 1], 'valid', 0], // all zeros: bias only
  [[1, 6, 7, 4], [6, 7], 12, [2, 2], 'valid', 0.5], // window as large as the input
];

