// Browser face of @sketch-xnor/data (the `browser` export condition): everything of index.ts that needs no Node
// built-in. Left out: the file readers' I/O, decodePng (pngjs needs zlib and Buffer), downloads and zip
// extraction. openDataset has the file-free readers (synthetic, and any registered one); createBatchStream
// prepares batches in-process. test/consumers/browser-entries.test.ts bundles this file for the browser.
export * from './portable.js';
export { openDataset, registerDataset, getDataset, listDatasets } from './dataset-browser.js';
export { createBatchStream } from './stream/batch-stream-browser.js';
