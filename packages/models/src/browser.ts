// Browser face of @sketch-xnor/models (the `browser` export condition): everything of index.ts that needs no Node
// built-in. Run and bundle loaders take URLs (relative ones to the page) and picked files; left out are the
// folder I/O (fileSystemIO, directorySource, writeFileAtomic, saveRun, bundleFromDirectory, writeBundleFiles) and
// exportRun. test/consumers/browser-entries.test.ts bundles this file for the browser.
export * from './portable.js';
export { loadRun, loadModel, readRunInfo, runSource, initFromRun } from './io/run-browser.js';
