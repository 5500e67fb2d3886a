// Parsers for flag values: each returns the parsed value or throws commander's InvalidArgumentError,
// which commander reports as `error: option '--x <n>' argument 'y' is invalid. <reason>`.
import { InvalidArgumentError } from 'commander';
import { parseSplitParts } from '@sketch-xnor/data';

export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Not an integer.');
    if (n < min) throw new InvalidArgumentError(`Must be at least ${min}.`);
    return n;
  };
}

export function numberInRange(min: number, max: number, { exclusiveMin = false } = {}): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('Not a number.');
    if (exclusiveMin ? n <= min : n < min) throw new InvalidArgumentError(`Must be ${exclusiveMin ? 'above' : 'at least'} ${min}.`);
    if (n > max) throw new InvalidArgumentError(`Must be at most ${max}.`);
    return n;
  };
}

/** `a,b, c` -> ['a', 'b', 'c']; names may contain spaces (Quick, Draw!'s "The Eiffel Tower"). */
export function commaList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('Expected a comma-separated list of names.');
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) throw new InvalidArgumentError(`"${item}" is listed twice.`);
    seen.add(item);
  }
  return items;
}

export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`Expected one of: ${choices.join(', ')}.`);
    return value as T;
  };
}

/** `train:54,test:26`: per-category counts (or fractions, or `rest`) with a train and a test part, nothing else. */
export function trainTestSplit(value: string): Record<string, number | 'rest'> {
  let parts: Record<string, number | 'rest'>;
  try {
    parts = parseSplitParts(value);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
  const names = Object.keys(parts).sort().join(',');
  if (names !== 'test,train') throw new InvalidArgumentError(`Expected the parts train and test (e.g. train:54,test:26), got ${Object.keys(parts).join(', ')}.`);
  return parts;
}

export const positiveInteger = integerAtLeast(1);
export const nonNegativeInteger = integerAtLeast(0);
export const positiveNumber = numberInRange(0, Number.MAX_VALUE, { exclusiveMin: true });
