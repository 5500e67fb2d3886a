import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kFoldSplits, numericId, parseSplitParts, splitDataset, type Labelled } from '../src/splits.js';
import { quickDrawDir, tuBerlinPngDir } from './shared-data.js';

/** The drawings of some Quick, Draw! categories as (label, key id), in file order. */
function quickDrawItems(categories: string[]): Labelled[] {
  return categories.flatMap((category) =>
    readFileSync(join(quickDrawDir, `${category}.ndjson`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => ({ label: category, id: String(JSON.parse(line).key_id) })),
  );
}

/** Every TU-Berlin-40 PNG as (label, `<category>/<n>.png`), in directory-listing order. */
function tuBerlinItems(): Labelled[] {
  return readdirSync(tuBerlinPngDir).flatMap((category) => readdirSync(join(tuBerlinPngDir, category)).map((file) => ({ label: category, id: `${category}/${file}` })));
}

const ids = (items: Labelled[]) => items.map((item) => item.id);
const byLabel = (items: Labelled[], label: string) => items.filter((item) => item.label === label);

describe('splitDataset on the real files', () => {
  it('Quick, Draw!: first 300 train, next 100 test in file order, short categories reported', () => {
    const categories = ['cat', 'The Eiffel Tower', 'blackberry'];
    const items = quickDrawItems(categories);
    const { parts, shortfalls } = splitDataset(items, { parts: { train: 300, test: 100 } });
    for (const category of categories) {
      const all = ids(byLabel(items, category));
      expect(ids(byLabel(parts.train, category))).toEqual(all.slice(0, 300));
      expect(ids(byLabel(parts.test, category))).toEqual(all.slice(300, 400));
    }
    // blackberry.ndjson has 398 drawings: its test part falls 2 short, and says so.
    expect(shortfalls).toEqual([{ category: 'blackberry', part: 'test', wanted: 100, got: 98 }]);
    expect(() => splitDataset(items, { parts: { train: 300, test: 100 }, strict: true })).toThrow(/"blackberry".*"test" wanted 100, got 98/);
  });

  it('TU-Berlin-40: first 54 train, last 26 test by numeric id, whatever the listing order', () => {
    const items = tuBerlinItems();
    expect(items.length).toBe(3200);
    const shuffled = [...items].reverse();
    const { parts, shortfalls } = splitDataset(shuffled, { parts: { train: 54, test: 26 }, order: 'numeric-id' });
    expect(shortfalls).toEqual([]);
    expect(parts.train.length).toBe(40 * 54);
    expect(parts.test.length).toBe(40 * 26);
    for (const category of new Set(items.map((item) => item.label))) {
      const sorted = byLabel(items, category).map((item) => numericId(item.id)).sort((a, b) => a - b);
      expect(byLabel(parts.train, category).map((item) => numericId(item.id))).toEqual(sorted.slice(0, 54));
      expect(byLabel(parts.test, category).map((item) => numericId(item.id))).toEqual(sorted.slice(54));
    }
    // The same split from the listing order: it depends on ids only (categories come in order of first appearance).
    const fromListing = splitDataset(items, { parts: { train: 54, test: 26 }, order: 'numeric-id' }).parts;
    expect(ids(fromListing.test).sort()).toEqual(ids(parts.test).sort());
  });

  it('TU-Berlin-40: 3-fold partitions, every sketch tested exactly once', () => {
    const items = tuBerlinItems();
    const folds = kFoldSplits(items, { k: 3, order: 'numeric-id' });
    expect(folds.length).toBe(3);
    const tested = folds.flatMap((fold) => ids(fold.test));
    expect(new Set(tested).size).toBe(3200);
    expect(tested.length).toBe(3200);
    for (const fold of folds) {
      expect(fold.train.length + fold.test.length).toBe(3200);
      const train = new Set(ids(fold.train));
      expect(ids(fold.test).some((id) => train.has(id))).toBe(false);
    }
    // 80 per category -> chunks of 27, 27, 26, consecutive in id order.
    expect(folds.map((fold) => byLabel(fold.test, 'cloud').length)).toEqual([27, 27, 26]);
    const cloudIds = byLabel(items, 'cloud').map((item) => numericId(item.id)).sort((a, b) => a - b);
    expect(byLabel(folds[1].test, 'cloud').map((item) => numericId(item.id))).toEqual(cloudIds.slice(27, 54));
  });
});

describe('splitDataset rules', () => {
  const items = (label: string, n: number): Labelled[] => Array.from({ length: n }, (_, i) => ({ label, id: `${label}/${i}` }));

  it('rounds fractions per category by largest remainder and uses every item', () => {
    const { parts } = splitDataset([...items('a', 10), ...items('b', 7)], { parts: { train: 0.7, validation: 0.15, test: 0.15 } });
    // a: 7 / 1.5 / 1.5 -> 7, 2, 1 (tie goes to the earlier part); b: 4.9 / 1.05 / 1.05 -> 5, 1, 1.
    expect(byLabel(parts.train, 'a').length).toBe(7);
    expect(byLabel(parts.validation, 'a').length).toBe(2);
    expect(byLabel(parts.test, 'a').length).toBe(1);
    expect([parts.train, parts.validation, parts.test].map((part) => byLabel(part, 'b').length)).toEqual([5, 1, 1]);
    expect(ids(parts.test)).toEqual(['a/9', 'b/6']);
  });

  it("gives 'rest' what the other parts leave, wherever it stands", () => {
    const { parts } = splitDataset(items('a', 10), { parts: { validation: 2, train: 'rest', test: 0.3 } });
    expect(ids(parts.validation)).toEqual(['a/0', 'a/1']);
    expect(ids(parts.train)).toEqual(['a/2', 'a/3', 'a/4', 'a/5', 'a/6']);
    expect(ids(parts.test)).toEqual(['a/7', 'a/8', 'a/9']);
  });

  it('rejects bad part sizes and bad k with clear errors', () => {
    expect(() => splitDataset(items('a', 3), { parts: { train: 1.5 } })).toThrow(/part "train" has size 1.5/);
    expect(() => splitDataset(items('a', 3), { parts: { train: 0.6, test: 0.6 } })).toThrow(/fractions add up to 1.2/);
    expect(() => splitDataset(items('a', 3), { parts: { a: 'rest', b: 'rest' } })).toThrow(/only one part/);
    expect(() => splitDataset([{ label: 'a', id: 'none' }], { parts: { train: 1 }, order: 'numeric-id' })).toThrow(/id "none" contains no number/);
    expect(() => kFoldSplits(items('a', 2), { k: 3 })).toThrow(/"a" has 2 item\(s\), fewer than k = 3/);
    expect(() => kFoldSplits(items('a', 2), { k: 1 })).toThrow(/k must be an integer >= 2/);
  });

  it('parses the command-line form', () => {
    expect(parseSplitParts('train:300,test:100')).toEqual({ train: 300, test: 100 });
    expect(parseSplitParts('train=0.8, validation=0.1, test=rest')).toEqual({ train: 0.8, validation: 0.1, test: 'rest' });
    expect(() => parseSplitParts('train:300,oops')).toThrow(/"oops" is not name:size/);
    expect(() => parseSplitParts('train:-1')).toThrow(/part "train" has size -1/);
  });
});
