// A dataset registry: `openDataset({ kind, ... })` finds the reader registered under `kind` and opens it. Readers
// are plugins of the project's one registry shape, so a user registers a new format the same way. The Node build
// registers every built-in reader (dataset.ts), the browser build the file-free ones (dataset-browser.ts).
import { createRegistry, type RegisterOptions } from '@sketch-xnor/registry';
import type { Dataset, DatasetOptions, DatasetReader, ReaderFactory } from './readers/reader.js';

export type DatasetSpec = string | ({ name: string } & Record<string, unknown>) | DatasetReader;

export interface DatasetRegistry {
  /** Registers a dataset reader under `factory.name` (its `create(options)` gets the `openDataset` options). */
  registerDataset(factory: ReaderFactory, options?: RegisterOptions): void;
  /** The reader for a kind, built from options (or a `{ name, ...options }` config). */
  getDataset(spec: DatasetSpec): DatasetReader;
  /** Registered dataset kinds, sorted. */
  listDatasets(): string[];
  /**
   * Opens a dataset: lists its categories now; `sketches()` reads it (again on every call) and `problems` lists
   * the records the latest pass skipped. Throws for an unknown kind, bad options or an unreadable path.
   */
  openDataset(options: DatasetOptions): Promise<Dataset>;
}

function isReader(value: unknown): value is DatasetReader {
  return typeof value === 'object' && value !== null && typeof (value as DatasetReader).open === 'function' && typeof (value as DatasetReader).getConfig === 'function';
}

/**
 * A registry holding `readers`. `unavailable` maps kinds this build leaves out to what to do instead, so asking
 * for one says why it is missing rather than only that it is unknown.
 */
export function createDatasetRegistry(readers: readonly ReaderFactory[], unavailable: Readonly<Record<string, string>> = {}): DatasetRegistry {
  const datasets = createRegistry<DatasetReader>('dataset', isReader);
  for (const reader of readers) datasets.register(reader);
  const listDatasets = () => datasets.list();
  const getDataset = (spec: DatasetSpec): DatasetReader => {
    const name = typeof spec === 'string' ? spec : isReader(spec) ? undefined : spec.name;
    if (name !== undefined && !datasets.has(name) && Object.hasOwn(unavailable, name)) {
      throw new Error(`the ${name} dataset reads files and is only in the Node build of @sketch-xnor/data; in a browser, ${unavailable[name]}`);
    }
    return datasets.get(spec);
  };
  return {
    registerDataset: (factory, options) => datasets.register(factory, options),
    getDataset,
    listDatasets,
    async openDataset(options) {
      const { kind, ...rest } = options;
      if (typeof kind !== 'string') throw new Error(`openDataset: kind must be a string (one of ${listDatasets().join(', ')}), got ${JSON.stringify(kind)}`);
      return getDataset({ ...rest, name: kind }).open();
    },
  };
}
