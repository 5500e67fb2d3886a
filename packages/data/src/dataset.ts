// The dataset registry of the Node build: every built-in reader (files and synthetic).
import { createDatasetRegistry } from './dataset-registry.js';
import { builtInReaders } from './readers/index.js';

export const { registerDataset, getDataset, listDatasets, openDataset } = createDatasetRegistry(builtInReaders);
