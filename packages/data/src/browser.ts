// Browser face of @sketch-xnor/data (the `browser` export condition): everything of index.ts that needs no Node
// built-in. Left out: the file readers' I/O, decodePng (pngjs needs zlib and Buffer), downloads and zip
// extraction. openDataset has the file-free readers (synthetic, and any registered one); createBatchStream
// prepares batches in-process. test/consumers/browser-entries.test.ts bundles this file for the browser.
export type { Stroke, GrayImage, Sketch, InputProblem } from './types.js';
export { createRng } from './random.js';
export type { Rng, RngState } from './random.js';
export { rasterize, rasterizeByStrokeOrder, drawStrokes, strokeBounds, fitTransform, defaultLineWidth, defaultMargin, DEFAULT_RENDER_SIZE } from './rasterize.js';
export type { Bounds, RasterizeOptions, PixelTransform } from './rasterize.js';
export { resizeImage } from './resize.js';
export { cropView, testViews, randomView } from './views.js';
export type { View } from './views.js';
export { prepareTrainingSample, prepareTestViews, renderSketch } from './sample.js';
export type { SampleOptions } from './sample.js';
export { augmentStrokes, registerAugmentation, getAugmentation, listAugmentations, strokeRemovalProbabilities } from './augment/index.js';
export type { AugmentOptions, AugmentationFactory, StrokeAugmentation, RotationOptions, StrokeRemovalOptions, DeformationOptions } from './augment/index.js';
export { generateSynthetic, generateSyntheticSketch, drawSyntheticShape, SYNTHETIC_CATEGORIES } from './synthetic.js';
export type { SyntheticCategory, SyntheticOptions, GenerateSyntheticOptions } from './synthetic.js';
export { openDataset, registerDataset, getDataset, listDatasets } from './dataset-browser.js';
export type { Dataset, DatasetOptions, DatasetReader, ReaderFactory } from './readers/reader.js';
export { InputError, describeInputProblem } from './problems.js';
export { parseQuickDrawLine, QUICKDRAW_BOX } from './readers/quickdraw-line.js';
export type { ParsedQuickDrawLine } from './readers/quickdraw-line.js';
export { parseSvgStrokes } from './readers/svg-strokes.js';
export type { SvgStrokesResult } from './readers/svg-strokes.js';
export { flattenPathData, parseTransform, PathDataError } from './svg-path.js';
export type { Polyline, Matrix } from './svg-path.js';
export { splitDataset, kFoldSplits, parseSplitParts, numericId } from './splits.js';
export type { Labelled, SplitPartSize, SplitOrder, SplitOptions, SplitShortfall, Split, KFoldOptions, Fold } from './splits.js';
export { quickDrawUrl, quickDrawFileName, QUICKDRAW_BASE_URL, tuBerlinArchiveName, TU_BERLIN_BASE_URL } from './download/sources.js';
export type { QuickDrawFormat, TuBerlinFormat } from './download/sources.js';
export { collectSketches } from './stream/collect.js';
export type { CollectOptions } from './stream/collect.js';
export { createBatchStream } from './stream/batch-stream-browser.js';
export type { Batch, BatchPosition, BatchStream, BatchStreamOptions, BatchStreamStats } from './stream/batch-stream-browser.js';
export type { SamplePipeline, StreamSampleOptions, PipelineRng } from './stream/pipeline.js';
