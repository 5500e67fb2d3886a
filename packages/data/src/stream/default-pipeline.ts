// The package's own per-sample pipeline as one small module, which is what worker threads load (not the whole
// package entry with its readers and downloads).
export { createRng } from '../random.js';
export { prepareTrainingSample, prepareTestViews } from '../sample.js';
