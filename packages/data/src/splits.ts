// Deterministic train/validation/test splits and k-fold partitions, per category. Pure functions over ids and
// labels: the same list always gives the same split, so a split needs no file of its own to be reproduced.

/** Anything with a category label and a stable id (a `Sketch` qualifies). */
export interface Labelled {
  label: string;
  id: string;
}

/**
 * The size of one part, per category: an integer >= 0 is a count, a number in (0, 1) a fraction of the
 * category, `'rest'` whatever the other parts leave.
 */
export type SplitPartSize = number | 'rest';

/**
 * The order in which a category's items are dealt into parts: `'given'` keeps the input order (file order for
 * Quick, Draw!), `'numeric-id'` sorts by the last number in the id (`airplane/241.png` -> 241), as TU-Berlin
 * splits are usually defined.
 */
export type SplitOrder = 'given' | 'numeric-id';

export interface SplitOptions {
  /** Parts in dealing order, e.g. `{ train: 300, test: 100 }` or `{ train: 0.8, validation: 0.1, test: 0.1 }`. */
  parts: Record<string, SplitPartSize>;
  order?: SplitOrder;
  /** Throw when a category is too small to fill its parts, instead of reporting the shortfall. */
  strict?: boolean;
}

/** A part that got fewer items than asked in one category (that category ran out). */
export interface SplitShortfall {
  category: string;
  part: string;
  wanted: number;
  got: number;
}

export interface Split<T> {
  /** Each part's items, grouped by category (in order of first appearance), each category in `order`. */
  parts: Record<string, T[]>;
  shortfalls: SplitShortfall[];
}

export interface KFoldOptions {
  k: number;
  order?: SplitOrder;
}

export interface Fold<T> {
  train: T[];
  test: T[];
}

/**
 * Splits every category into consecutive parts, e.g. "first 300 train, next 100 test" in file order, or
 * "first 54 train, last 26 test" by numeric id. Fractions are rounded per category by largest remainder, so
 * `{ train: 0.5, test: 0.5 }` always uses every item.
 */
export function splitDataset<T extends Labelled>(items: readonly T[], options: SplitOptions): Split<T> {
  const parts = checkedParts(options.parts);
  const result: Record<string, T[]> = Object.fromEntries(parts.map(([name]) => [name, []]));
  const shortfalls: SplitShortfall[] = [];
  for (const [category, members] of groupByCategory(items, options.order ?? 'given')) {
    const wanted = partCounts(parts, members.length);
    let next = 0;
    parts.forEach(([name], index) => {
      const got = Math.min(wanted[index], members.length - next);
      result[name].push(...members.slice(next, next + got));
      next += got;
      if (got < wanted[index]) shortfalls.push({ category, part: name, wanted: wanted[index], got });
    });
  }
  if (options.strict && shortfalls.length > 0) {
    const { category, part, wanted, got } = shortfalls[0];
    throw new Error(`splitDataset: category "${category}" has too few items: part "${part}" wanted ${wanted}, got ${got} (${shortfalls.length} shortfall(s) in all)`);
  }
  return { parts: result, shortfalls };
}

/**
 * k-fold cross-validation (TU-Berlin's usual protocol is k = 3): every category is cut into k consecutive chunks
 * in `order` (sizes differ by at most one, larger chunks first); fold j tests on chunk j and trains on the rest.
 * Every item is in exactly one test set.
 */
export function kFoldSplits<T extends Labelled>(items: readonly T[], options: KFoldOptions): Fold<T>[] {
  const { k } = options;
  if (!Number.isInteger(k) || k < 2) throw new Error(`kFoldSplits: k must be an integer >= 2, got ${k}`);
  const folds: Fold<T>[] = Array.from({ length: k }, () => ({ train: [], test: [] }));
  for (const [category, members] of groupByCategory(items, options.order ?? 'given')) {
    if (members.length < k) throw new Error(`kFoldSplits: category "${category}" has ${members.length} item(s), fewer than k = ${k} folds`);
    const chunks = chunkBounds(members.length, k).map(([start, end]) => members.slice(start, end));
    folds.forEach((fold, j) => {
      chunks.forEach((chunk, c) => (c === j ? fold.test : fold.train).push(...chunk));
    });
  }
  return folds;
}

/** Parses the command-line form `train:300,test:100` (also `train=0.8,validation=0.1,test=rest`). */
export function parseSplitParts(text: string): Record<string, SplitPartSize> {
  const parts: Record<string, SplitPartSize> = {};
  for (const field of text.split(',').map((piece) => piece.trim()).filter(Boolean)) {
    const match = /^([A-Za-z][\w-]*)\s*[:=]\s*(\S+)$/.exec(field);
    if (!match) throw new Error(`split "${text}": "${field}" is not name:size (e.g. train:300 or test:0.2 or test:rest)`);
    const [, name, size] = match;
    if (name in parts) throw new Error(`split "${text}": part "${name}" appears twice`);
    parts[name] = size === 'rest' ? 'rest' : Number(size);
  }
  checkedParts(parts, `split "${text}"`);
  return parts;
}

/** The number in an id that numeric-id order sorts by: the last run of digits (`cat/4387.png` -> 4387). */
export function numericId(id: string): number {
  const match = /(\d+)\D*$/.exec(id);
  if (!match) throw new Error(`numeric-id order: id "${id}" contains no number`);
  return Number(match[1]);
}

function checkedParts(parts: Record<string, SplitPartSize>, where = 'splitDataset'): [string, SplitPartSize][] {
  const entries = Object.entries(parts);
  if (entries.length === 0) throw new Error(`${where}: no parts given`);
  for (const [name, size] of entries) {
    const valid = size === 'rest' || (Number.isFinite(size) && size >= 0 && (Number.isInteger(size) || size < 1));
    if (!valid) throw new Error(`${where}: part "${name}" has size ${String(size)}; use a count (integer >= 0), a fraction in (0, 1) or 'rest'`);
  }
  if (entries.filter(([, size]) => size === 'rest').length > 1) throw new Error(`${where}: only one part may be 'rest'`);
  const fractionTotal = entries.reduce((sum, [, size]) => sum + (isFraction(size) ? size : 0), 0);
  if (fractionTotal > 1 + 1e-9) throw new Error(`${where}: fractions add up to ${fractionTotal}, more than 1`);
  return entries;
}

function isFraction(size: SplitPartSize): size is number {
  return size !== 'rest' && size > 0 && size < 1;
}

/** Items wanted per part for a category of n items (may exceed n: the later parts then fall short). */
function partCounts(parts: [string, SplitPartSize][], n: number): number[] {
  const counts = parts.map(([, size]) => (size === 'rest' || isFraction(size) ? 0 : size));
  const fractional = parts.map(([, size], index) => ({ index, exact: isFraction(size) ? size * n : 0 })).filter(({ exact }) => exact > 0);
  const fractionTarget = Math.round(fractional.reduce((sum, { exact }) => sum + exact, 0));
  for (const { index, exact } of fractional) counts[index] = Math.floor(exact);
  // Largest remainder: hand the rounding leftovers to the parts closest to their next unit (earlier part on ties).
  const leftovers = fractionTarget - fractional.reduce((sum, { index }) => sum + counts[index], 0);
  const byRemainder = [...fractional].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.index - b.index);
  for (const { index } of byRemainder.slice(0, leftovers)) counts[index] += 1;
  const restIndex = parts.findIndex(([, size]) => size === 'rest');
  if (restIndex >= 0) counts[restIndex] = Math.max(0, n - counts.reduce((sum, count) => sum + count, 0));
  return counts;
}

function groupByCategory<T extends Labelled>(items: readonly T[], order: SplitOrder): Map<string, T[]> {
  if (order !== 'given' && order !== 'numeric-id') throw new Error(`split order must be 'given' or 'numeric-id', got ${String(order)}`);
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.label);
    if (group) group.push(item);
    else groups.set(item.label, [item]);
  }
  if (order === 'numeric-id') {
    for (const group of groups.values()) {
      const keyed = group.map((item) => ({ item, key: numericId(item.id) }));
      keyed.sort((a, b) => a.key - b.key || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
      keyed.forEach(({ item }, index) => (group[index] = item));
    }
  }
  return groups;
}

/** [start, end) of k consecutive chunks of n items, sizes differing by at most one (larger first). */
function chunkBounds(n: number, k: number): [number, number][] {
  const base = Math.floor(n / k);
  const larger = n % k;
  const bounds: [number, number][] = [];
  let start = 0;
  for (let j = 0; j < k; j++) {
    const end = start + base + (j < larger ? 1 : 0);
    bounds.push([start, end]);
    start = end;
  }
  return bounds;
}
