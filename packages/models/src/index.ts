// Public face of @sketch-xnor/models in Node: the portable part (portable.ts, also the browser face's) plus run
// folders and model files through file:// (save/load/init), bundles from and to folders, and exportRun.
export * from './portable.js';
export { fileSystemIO, registerFileSystemIO, directorySource, writeFileAtomic } from './io/file-system-io.js';
export { saveRun, loadRun, loadModel, readRunInfo, runSource, initFromRun } from './io/run.js';
export { bundleFromDirectory, writeBundleFiles } from './bundle/node-files.js';
export { exportRun, type ExportResult, type ExportOptions } from './bundle/export-run.js';
// MatConvNet import is for Node (a .mat file on disk); its pure parts are here too, kept out of the browser face
export { importMatConvNet } from './matconvnet/node.js';
export { readMatFile, MatFileError, MAT_MAX_DEPTH, type MatValue, type MatReadOptions } from './matconvnet/mat-v5.js';
export { sketchANetFromMatConvNet, columnMajorToRowMajor, type MatConvNetImport, type MatConvNetImportOptions } from './matconvnet/sketch-a-net.js';
