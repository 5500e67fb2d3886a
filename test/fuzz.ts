// Shared settings for the property-based fuzz tests of every parser and loader (fast-check).
// Seeded so a CI failure replays exactly; a few seconds per property by default, longer with
// SKETCH_XNOR_FUZZ_RUNS=<n> (cases per property) and another seed with SKETCH_XNOR_FUZZ_SEED=<n>.
import { expect } from 'vitest';

const envNumber = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${raw}: expected a positive integer`);
  return value;
};

/** Cases per property: `defaultRuns` in a normal test run, or SKETCH_XNOR_FUZZ_RUNS. */
export const fuzzRuns = (defaultRuns: number): number => envNumber('SKETCH_XNOR_FUZZ_RUNS') ?? defaultRuns;

/** The seed every property runs with (the same in every run unless SKETCH_XNOR_FUZZ_SEED is set). */
export const fuzzSeed: number = envNumber('SKETCH_XNOR_FUZZ_SEED') ?? 20261203;

/**
 * fast-check parameters: seeded, `defaultRuns` cases, and a per-case time bound (generous: it catches
 * super-linear or unbounded work on a small hostile input, not slowness).
 */
export function fuzzParameters(defaultRuns: number, caseTimeoutMs = 5_000) {
  return { seed: fuzzSeed, numRuns: fuzzRuns(defaultRuns), timeout: caseTimeoutMs, endOnFailure: true } as const;
}

/** How long a whole fuzz test may take under vitest: room for SKETCH_XNOR_FUZZ_RUNS. */
export const fuzzTestTimeoutMs = (defaultRuns: number, perCaseMs = 200): number =>
  Math.max(60_000, fuzzRuns(defaultRuns) * perCaseMs);

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `load`: it may succeed, or fail with one of the project's error classes whose message names `file`.
 * Anything else (a TypeError, a RangeError, a message naming no file) fails the property.
 */
export async function expectCleanOutcome<T>(
  load: () => T | Promise<T>,
  file: string,
  errorClasses: readonly ErrorClass[],
): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    const known = errorClasses.some((cls) => error instanceof cls);
    expect(known, `not a project error: ${(error as Error)?.stack ?? String(error)}`).toBe(true);
    expect((error as Error).message, 'the error names the file').toContain(file);
    return { ok: false, error: error as Error };
  }
}
