// Browser face of @sketch-xnor/models (the `browser` export condition): everything of index.ts that needs no Node
// built-in. Run and bundle loaders take URLs (relative ones to the page) and picked files; left out are the
// folder I/O (fileSystemIO, directorySource, writeFileAtomic, saveRun, bundleFromDirectory, writeBundleFiles) and
// exportRun. test/consumers/browser-entries.test.ts bundles this file for the browser.
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
export { loadRun, loadModel, readRunInfo, runSource, initFromRun } from './io/run-browser.js';
export { BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, validateManifest, sha256Hex, type BundleManifest, type BundleFileEntry } from './bundle/format.js';
export { bundleFiles, loadBundle, bundleFromUrl, bundleFromFiles, type BundleInfo, type BundleSource } from './bundle/bundle.js';
export { encodeWeights } from './bundle/quantize-weights.js';
export { randomizeBatchNormStatistics } from './testing/batch-norm.js';
