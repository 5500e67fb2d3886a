// Option checking for quantizer configs: every scheme declares its options once (default + rule), and a
// malformed config (unknown key, wrong type, out of range) fails with a message that names the option.

/** One option: its default and a check that returns what is wrong with a value, or undefined if it is fine. */
export interface OptionRule<T> {
  readonly default: T;
  /** Describes the accepted values, e.g. "a positive number"; used in error messages. */
  readonly expected: string;
  readonly accepts: (value: unknown) => value is T;
}

export type OptionRules = Record<string, OptionRule<unknown>>;
export type OptionValues<R extends OptionRules> = { readonly [K in keyof R]: R[K] extends OptionRule<infer T> ? T : never };

export class QuantizerConfigError extends Error {
  override name = 'QuantizerConfigError';
}

/** A finite number > 0. */
export function positiveNumber(defaultValue: number): OptionRule<number> {
  return {
    default: defaultValue,
    expected: 'a finite number > 0',
    accepts: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0,
  };
}

/** An integer in [min, max]. */
export function integerBetween(min: number, max: number, defaultValue: number): OptionRule<number> {
  return {
    default: defaultValue,
    expected: `an integer from ${min} to ${max}`,
    accepts: (v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  };
}

/** One of a few strings. */
export function oneOf<T extends string>(values: readonly T[], defaultValue: T): OptionRule<T> {
  return {
    default: defaultValue,
    expected: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    accepts: (v): v is T => values.includes(v as T),
  };
}

/**
 * Reads `options` against `rules`: fills defaults, rejects unknown keys and bad values. `name` (the option
 * owner's `name`, e.g. a quantizer's registered name) is accepted and ignored so a full config can be passed.
 */
export function readOptions<R extends OptionRules>(options: unknown, rules: R): OptionValues<R> {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new QuantizerConfigError(`options must be an object, got ${describeValue(options)}`);
  }
  const given = options as Record<string, unknown>;
  const known = Object.keys(rules);
  const unknown = Object.keys(given).filter((key) => key !== 'name' && !known.includes(key));
  if (unknown.length) {
    throw new QuantizerConfigError(
      `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}` +
        ` (known options: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const key of known) {
    const rule = rules[key]!;
    const value = given[key] === undefined ? rule.default : given[key];
    if (!rule.accepts(value)) {
      throw new QuantizerConfigError(`option "${key}" must be ${rule.expected}, got ${describeValue(value)}`);
    }
    values[key] = value;
  }
  return values as OptionValues<R>;
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value) ?? String(value);
  return String(value);
}
