// Public face of @sketch-xnor/models: the Sketch-A-Net zoo, run folders (save/load/init) and packed 1-bit bundles.
export { buildModel, listModels, registerModel, getModelSpec, describeModels, type ModelSpec } from './model-registry.js';
export { readSketchANetOptions, sketchANetGeometry, DEFAULT_OPTIONS, type SketchANetOptions, type SketchANetGeometry } from './zoo/options.js';
export { buildSketchANet, sketchANetFactory, type Variant } from './zoo/build-sketch-a-net.js';
export { fileSystemIO, registerFileSystemIO, writeFileAtomic, readJson, ModelFileError } from './io/file-system-io.js';
export { saveRun, loadRun, readRunInfo, initFromRun, RUN_FILE, type RunInfo, type InitReport } from './io/run.js';
export { BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, validateManifest, sha256Hex, type BundleManifest, type BundleFileEntry } from './bundle/format.js';
export { bundleFiles, loadBundle, bundleFromUrl, bundleFromFiles, type BundleInfo, type BundleSource } from './bundle/bundle.js';
export { bundleFromDirectory, writeBundleFiles } from './bundle/node-files.js';
export { encodeWeights } from './bundle/quantize-weights.js';
export { exportRun, type ExportResult, type ExportOptions } from './bundle/export-run.js';
