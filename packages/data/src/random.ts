// A small, fast, seedable PRNG whose whole state is four 32-bit words: sfc32 (Chris Doty-Humphrey's "small fast
// counting" generator, PractRand-clean), seeded through splitmix32. The state is plain numbers, so a run can save
// it and resume exactly, and `fork(key)` derives independent per-sample streams without advancing the parent.

/** The generator's whole state: four unsigned 32-bit words (JSON-serializable). */
export type RngState = readonly [number, number, number, number];

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Normal with the given mean and standard deviation (Box-Muller). */
  normal(mean?: number, std?: number): number;
  /** true with probability p. */
  bool(p?: number): boolean;
  /** A new generator derived from this one's current state and `key`; this one does not advance. */
  fork(key: number): Rng;
  getState(): RngState;
  setState(state: RngState): void;
}

const TWO_POW_32 = 2 ** 32;

/** splitmix32's output function: spreads nearby integers over unrelated 32-bit values. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** State words for a seed; any finite number (integers up to 2^53 keep all their bits). */
function seedState(seed: number): [number, number, number, number] {
  if (!Number.isFinite(seed)) throw new Error(`createRng: seed must be a finite number, got ${seed}`);
  const integer = Math.trunc(seed);
  const low = integer >>> 0;
  const high = Math.floor(integer / TWO_POW_32) >>> 0;
  const a = mix32(low);
  const b = mix32(a ^ high);
  const c = mix32(b ^ 0x6a09e667);
  return [a, b, c, 1];
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: RngState) {
    [this.a, this.b, this.c, this.d] = checkState(state);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  normal(mean = 0, std = 1): number {
    // 1 - next() is in (0, 1]: the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return mean + std * radius * Math.cos(2 * Math.PI * this.next());
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  fork(key: number): Rng {
    const k = mix32(key >>> 0) ^ mix32(Math.floor(key / TWO_POW_32) >>> 0);
    const a = mix32(this.a ^ k);
    const b = mix32(this.b ^ a);
    const c = mix32(this.c ^ b);
    const rng = new Sfc32([a, b, c, 1]);
    // A few rounds so that the child's first outputs do not echo the mixing.
    for (let i = 0; i < 12; i++) rng.uint32();
    return rng;
  }

  getState(): RngState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = checkState(state);
  }
}

function checkState(state: RngState): [number, number, number, number] {
  if (!Array.isArray(state) || state.length !== 4 || !state.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32)) {
    throw new Error(`rng state must be four unsigned 32-bit integers, got ${JSON.stringify(state)}`);
  }
  return [state[0] | 0, state[1] | 0, state[2] | 0, state[3] | 0];
}

/** A generator seeded by `seed`, or resumed from a saved state. */
export function createRng(seed: number | RngState = 0): Rng {
  if (typeof seed === 'number') {
    const rng = new Sfc32(seedState(seed));
    // sfc32's documented warm-up: the first outputs of a fresh seed are discarded.
    for (let i = 0; i < 12; i++) rng.uint32();
    return rng;
  }
  return new Sfc32(seed);
}
