// The events of one training run. Every event carries the global step, the epoch and an ISO time, so a
// JSONL log of them is self-describing; subscribers (progress bar, log, viz) pick the types they need.

interface EventBase {
  /** Optimizer updates done so far. */
  step: number;
  /** Epoch (0-based) the event belongs to. */
  epoch: number;
  /** ISO 8601 wall-clock time. */
  time: string;
}

export interface StartEvent extends EventBase {
  type: 'start';
  /** Next batch index within the epoch (non-zero when resuming mid-epoch). */
  batch: number;
  epochs: number;
  batchesPerEpoch?: number;
  maxSteps?: number;
  /** The checkpoint this run continues from, when resuming. */
  resumedFrom?: string;
}

export interface StepEvent extends EventBase {
  type: 'step';
  /** Index of the batch just trained on within the epoch. */
  batch: number;
  /** Mean cross-entropy of the batch (before the update). */
  loss: number;
  /** Top-1 accuracy of the batch (before the update; dropout active). */
  top1: number;
  lr: number;
  /** Global L2 norm of the gradients, before any clipping. */
  gradientNorm: number;
  batchSize: number;
  /** Images trained per second over this step, data wait included. */
  imagesPerSecond: number;
}

export interface EpochEvent extends EventBase {
  type: 'epoch';
  /** Sample-weighted means over the epoch's batches. */
  loss: number;
  top1: number;
  batches: number;
  samples: number;
}

export interface EvalEvent extends EventBase {
  type: 'eval';
  split: 'test';
  samples: number;
  /** Cross-entropy, top-1 and top-5 on the center view. */
  loss: number;
  top1: number;
  top5: number;
  /** Views per sample; the multi-view fields are present when it is above 1. */
  views: number;
  /** Sum of the views' softmax scores. */
  top1TenView?: number;
  top5TenView?: number;
  /** Majority vote of the views' argmax (ties broken by the summed scores). */
  top1Vote?: number;
  top5Vote?: number;
}

export interface CheckpointEvent extends EventBase {
  type: 'checkpoint';
  /** Next batch index within `epoch` at the time of the checkpoint. */
  batch: number;
  file: string;
}

export interface DoneEvent extends EventBase {
  type: 'done';
  /** `completed`: all epochs; `max-steps`: the step limit; `aborted`: the abort signal fired. */
  reason: 'completed' | 'max-steps' | 'aborted';
  /** The last checkpoint written, if any. */
  checkpoint?: string;
}

export type TrainEvent = StartEvent | StepEvent | EpochEvent | EvalEvent | CheckpointEvent | DoneEvent;

/** Raised (as the Observable's error) when the loss becomes NaN or infinite; the weights keep their last finite values. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
    readonly lastCheckpoint: string | undefined,
  ) {
    super(
      `training stopped: the loss is ${loss} at step ${step + 1} (epoch ${epoch}, batch ${batch}); this update was not applied. ` +
        (lastCheckpoint ? `The last good checkpoint is ${lastCheckpoint}. ` : 'No checkpoint was written yet. ') +
        'Try a lower learning rate or gradient-norm clipping.',
    );
    this.name = 'TrainingDivergedError';
  }
}
