// What both faces of @sketch-xnor/models export: the zoo, model sources (URLs, picked files), run metadata, bundles
// and their loaders. index.ts (Node) adds folder I/O, saving and export; browser.ts adds URL-only run loaders.
export { buildModel, listModels, registerModel, getModelSpec, describeModels, type ModelSpec } from './model-registry.js';
export {
  readSketchANetOptions,
  sketchANetGeometry,
  poolPaddingFor,
  DEFAULT_OPTIONS,
  MIN_INPUT_SIZE,
  type SketchANetOptions,
  type SketchANetGeometry,
} from './zoo/options.js';
export { buildSketchANet, sketchANetFactory, heNormal, SKETCH_A_NET_LAYERS, type Variant } from './zoo/build-sketch-a-net.js';
export {
  ModelFileError,
  urlSource,
  filesSource,
  sourceIO,
  readModelArtifacts,
  isHttpUrl,
  MODEL_FILE,
  WEIGHTS_FILE,
  type ModelSource,
  type FileErrorClass,
} from './io/model-source.js';
export { RUN_FILE, CUSTOM_LAYER_CLASSES, type RunInfo, type InitReport } from './io/run-loaders.js';
export {
  MAX_CLASSES,
  MAX_NAME_LENGTH,
  MAX_RENDER_SIZE,
  MAX_INPUT_SIZE,
  MAX_CHANNELS,
  MAX_MODEL_FILES,
  MAX_WEIGHT_ENTRIES,
  MAX_OPTION_KEYS,
  MAX_OPTION_DEPTH,
  checkFileName,
  type FileChecksum,
} from './io/validate.js';
export { BUNDLE_FORMAT, BUNDLE_VERSION, FLOAT_WEIGHTS, BundleError, validateManifest, sha256Hex, type BundleManifest, type BundleFileEntry } from './bundle/format.js';
export { bundleFiles, loadBundle, bundleFromUrl, bundleFromFiles, type BundleInfo, type BundleSource } from './bundle/bundle.js';
export { encodeWeights } from './bundle/quantize-weights.js';
export { randomizeBatchNormStatistics } from './testing/batch-norm.js';
export { summary, summarizeLayer, formatSummary, type ModelSummary, type LayerSummary } from './summary.js';
export { MAX_LAYERS } from './io/topology.js';
