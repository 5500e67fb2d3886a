// Public face of @sketch-xnor/data. Filled by later issues; nothing is exported yet.
export {};
export { splitDataset, kFoldSplits, parseSplitParts, numericId } from './splits.js';
export type { Labelled, SplitPartSize, SplitOrder, SplitOptions, SplitShortfall, Split, KFoldOptions, Fold } from './splits.js';
