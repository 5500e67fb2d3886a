// The embedded default dataset: labelled shape drawings from the project's seeded generator (synthetic.ts), no
// files needed. Options: `seed` (default 0), `perCategory` (default 100), `categories` (a subset of the shape
// classes, in label order), and the generator's own (`maxRotation`, `jitter`, `strayStroke`).
import { generateSyntheticSketch, SYNTHETIC_CATEGORIES, type SyntheticCategory, type SyntheticOptions } from '../synthetic.js';
import type { Sketch } from '../types.js';
import { commonOptions, readerPlugin, selectCategories, type Dataset, type ReaderFactory } from './reader.js';

const DEFAULT_PER_CATEGORY = 100;

export const syntheticReader: ReaderFactory = {
  name: 'synthetic',
  description: `seeded shape drawings (${SYNTHETIC_CATEGORIES.join(', ')}); needs no files`,
  create(options) {
    const { seed = 0, maxRotation, jitter, strayStroke } = options;
    const common = commonOptions({ perCategory: DEFAULT_PER_CATEGORY, ...options });
    if (common.perCategory === Infinity) throw new Error('the synthetic dataset needs a finite perCategory (default 100)');
    if (common.path !== undefined) throw new Error(`the synthetic dataset reads no files; drop path "${common.path}"`);
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${JSON.stringify(seed)}`);
    const shape: SyntheticOptions = {};
    for (const [key, value] of Object.entries({ maxRotation, jitter, strayStroke })) {
      if (value === undefined) continue;
      if (typeof value !== 'number' || !(value >= 0)) throw new Error(`${key} must be a number >= 0, got ${JSON.stringify(value)}`);
      shape[key as keyof SyntheticOptions] = value;
    }
    const categories = selectCategories(SYNTHETIC_CATEGORIES, common.categories, 'synthetic dataset') as SyntheticCategory[];
    return readerPlugin('synthetic', options, async (): Promise<Dataset> => ({
      kind: 'synthetic',
      categories,
      // Generated drawings are never bad input.
      problems: [],
      async *sketches(): AsyncGenerator<Sketch> {
        for (const category of categories) {
          for (let index = 0; index < common.perCategory; index++) yield generateSyntheticSketch(category, index, seed, shape);
        }
      },
    }));
  },
};
