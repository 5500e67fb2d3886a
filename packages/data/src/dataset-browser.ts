// The dataset registry of the browser build: the file-free readers; the file readers' kinds say what to use instead.
import { createDatasetRegistry } from './dataset-registry.js';
import { fileFreeReaders, fileReaderAlternatives } from './readers/file-free.js';

export const { registerDataset, getDataset, listDatasets, openDataset } = createDatasetRegistry(fileFreeReaders, fileReaderAlternatives);
