// Public face of @sketch-xnor/data in Node: the portable part (portable.ts, also the browser face's), the file
// readers behind openDataset, PNG decoding, downloads and the batch stream with worker threads.
export * from './portable.js';
export { openDataset, registerDataset, getDataset, listDatasets } from './dataset.js';
export { decodePng, decodePngRgba, MAX_PNG_SIDE, MAX_PNG_PIXELS, MAX_PNG_BYTES } from './readers/tu-berlin-png.js';
export { downloadFile, DownloadError, DOWNLOAD_IDLE_TIMEOUT_MS } from './download/file.js';
export type { DownloadFileOptions, DownloadFormat, DownloadProgress, DownloadResult, ProgressCallback } from './download/file.js';
export { DOWNLOAD_VERIFY_BYTES, DOWNLOAD_VERIFY_LINES } from './download/verify.js';
export { downloadQuickDraw } from './download/quickdraw.js';
export type { QuickDrawDownloadOptions } from './download/quickdraw.js';
export { downloadTuBerlin } from './download/tu-berlin.js';
export type { TuBerlinDownloadOptions, TuBerlinDownloadResult } from './download/tu-berlin.js';
export { extractZip, MAX_EXTRACT_BYTES, MAX_EXTRACT_ENTRIES, type ExtractLimits } from './download/extract.js';
export type { ExtractResult } from './download/extract.js';
export { createBatchStream } from './stream/batch-stream.js';
