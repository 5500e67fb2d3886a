// TF.js draws dropout masks (and any unseeded random op) from a generator seeded by `Math.random()`.
// Running each training step with `Math.random` replaced by a generator seeded from (seed, step) makes those
// masks a function of the step, so a resumed run draws exactly the masks the uninterrupted run drew.

/** A 32-bit mix of two integers (a round of splitmix32 over each), for per-step seeds. */
export function mixSeed(seed: number, step: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const word of [step >>> 0, Math.floor(step / 2 ** 32) >>> 0]) {
    h = (h + word + 0x9e3779b9) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** mulberry32: a small, fast generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `fn` with `Math.random` seeded by `seed`, restoring the original when `fn` returns: for an async `fn`, only
 * its synchronous part (up to the first await) sees the seeded generator.
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
