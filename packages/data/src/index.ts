// Public face of @sketch-xnor/data. Filled by later issues; nothing is exported yet.
export {};
export { splitDataset, kFoldSplits, parseSplitParts, numericId } from './splits.js';
export type { Labelled, SplitPartSize, SplitOrder, SplitOptions, SplitShortfall, Split, KFoldOptions, Fold } from './splits.js';
export { downloadFile } from './download/file.js';
export type { DownloadFileOptions, DownloadProgress, DownloadResult, ProgressCallback } from './download/file.js';
export { downloadQuickDraw, quickDrawUrl, quickDrawFileName, QUICKDRAW_BASE_URL } from './download/quickdraw.js';
export type { QuickDrawDownloadOptions, QuickDrawFormat } from './download/quickdraw.js';
export { downloadTuBerlin, tuBerlinArchiveName, TU_BERLIN_BASE_URL } from './download/tu-berlin.js';
export type { TuBerlinDownloadOptions, TuBerlinDownloadResult, TuBerlinFormat } from './download/tu-berlin.js';
export { extractZip } from './download/extract.js';
export type { ExtractResult } from './download/extract.js';
export { collectSketches } from './stream/collect.js';
export type { CollectOptions } from './stream/collect.js';
export { createBatchStream } from './stream/batch-stream.js';
export type { Batch, BatchPosition, BatchStream, BatchStreamOptions, BatchStreamStats } from './stream/batch-stream.js';
export type { SamplePipeline, StreamSampleOptions, PipelineRng } from './stream/pipeline.js';
