// Public face of @sketch-xnor/trainer: Adam with exponential learning-rate decay, metrics, atomic
// checkpoints with exact resume, and the training loop as an Observable of events.
export { train, evaluate, crossEntropyLoss, type TrainOptions } from './train.js';
export type { TrainEvent, StartEvent, StepEvent, EpochEvent, EvalEvent, CheckpointEvent, DoneEvent } from './events.js';
export { TrainingDivergedError } from './events.js';
export type { Batch, TrainingData, TrainingDataSource, TestData } from './data.js';
export { exponentialDecay, STUDY_LEARNING_RATE_SCHEDULE, type ExponentialDecayOptions } from './schedule.js';
export { Adam, type AdamOptions, type AdamState } from './adam.js';
export {
  rankOfLabel,
  countTopK,
  topKAccuracy,
  softmax,
  crossEntropy,
  sumOfSoftmax,
  voteScores,
  centerViewRows,
} from './metrics.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  restoreCheckpoint,
  checkpointFile,
  CHECKPOINT_FILE,
  PREVIOUS_CHECKPOINT_FILE,
  type TrainingPosition,
  type EpochTotals,
  type LoadedCheckpoint,
} from './checkpoint.js';
export { CheckpointError, writeFileAtomic } from './checkpoint-file.js';
export { jsonlLogger, metricsFile, METRICS_FILE } from './jsonl.js';
