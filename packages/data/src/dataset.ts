// The dataset registry: `openDataset({ kind, ... })` finds the reader registered under `kind` and opens it.
// Readers are plugins of the project's one registry shape, so a user registers a new format the same way.
import { createRegistry, type RegisterOptions } from '@sketch-xnor/registry';
import { builtInReaders } from './readers/index.js';
import type { Dataset, DatasetOptions, DatasetReader, ReaderFactory } from './readers/reader.js';

function isReader(value: unknown): value is DatasetReader {
  return typeof value === 'object' && value !== null && typeof (value as DatasetReader).open === 'function' && typeof (value as DatasetReader).getConfig === 'function';
}

const datasets = createRegistry<DatasetReader>('dataset', isReader);
for (const reader of builtInReaders) datasets.register(reader);

/** Registers a dataset reader under `factory.name` (its `create(options)` gets the `openDataset` options). */
export function registerDataset(factory: ReaderFactory, options?: RegisterOptions): void {
  datasets.register(factory, options);
}

/** The reader for a kind, built from options (or a `{ name, ...options }` config). */
export function getDataset(spec: string | ({ name: string } & Record<string, unknown>) | DatasetReader): DatasetReader {
  return datasets.get(spec);
}

/** Registered dataset kinds, sorted. */
export function listDatasets(): string[] {
  return datasets.list();
}

/**
 * Opens a dataset: lists its categories now; `sketches()` reads it (again on every call) and `problems` lists
 * the records the latest pass skipped. Throws for an unknown kind, bad options or an unreadable path.
 */
export async function openDataset(options: DatasetOptions): Promise<Dataset> {
  const { kind, ...rest } = options;
  if (typeof kind !== 'string') throw new Error(`openDataset: kind must be a string (one of ${listDatasets().join(', ')}), got ${JSON.stringify(kind)}`);
  return getDataset({ ...rest, name: kind }).open();
}
