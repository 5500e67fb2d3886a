// Public face of @sketch-xnor/models: the Sketch-A-Net zoo, TF.js model files (file:// in Node, http(s):// and
// picked files anywhere), run folders (save/load/init) and packed 1-bit bundles.
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
export { fileSystemIO, registerFileSystemIO, directorySource, writeFileAtomic } from './io/file-system-io.js';
export { saveRun, loadRun, loadModel, readRunInfo, runSource, initFromRun, RUN_FILE, CUSTOM_LAYER_CLASSES, type RunInfo, type InitReport } from './io/run.js';
export { BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, validateManifest, sha256Hex, type BundleManifest, type BundleFileEntry } from './bundle/format.js';
export { bundleFiles, loadBundle, bundleFromUrl, bundleFromFiles, type BundleInfo, type BundleSource } from './bundle/bundle.js';
export { bundleFromDirectory, writeBundleFiles } from './bundle/node-files.js';
export { encodeWeights } from './bundle/quantize-weights.js';
export { exportRun, type ExportResult, type ExportOptions } from './bundle/export-run.js';
export { randomizeBatchNormStatistics } from './testing/batch-norm.js';
