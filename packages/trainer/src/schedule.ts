// Learning-rate schedules: pure functions of the global step, so a resumed run recomputes the same rate.

export interface ExponentialDecayOptions {
  /** Rate at global step 0 (before `initialStep` is added). */
  initialLearningRate: number;
  /** Multiplier applied once per `decaySteps` steps, in (0, 1]. */
  decayRate: number;
  /** Steps over which the rate is multiplied by `decayRate`. */
  decaySteps: number;
  /** Added to the step, as TensorFlow's `global_step` started at a non-zero value in the study. Default 0. */
  initialStep?: number;
  /** Decay in whole intervals (`floor`), as `tf.train.exponential_decay(staircase=True)`. Default false. */
  staircase?: boolean;
}

/** The schedule used by the study this project reproduces: lr 0.01, decay every 1000 steps, global step starting at 10000. */
export const STUDY_LEARNING_RATE_SCHEDULE: Readonly<Required<ExponentialDecayOptions>> = Object.freeze({
  initialLearningRate: 0.01,
  decayRate: 0.96,
  decaySteps: 1000,
  initialStep: 10000,
  staircase: false,
});

/** `lr0 * rate^((initialStep + step) / decaySteps)`, with `floor` on the exponent when `staircase`. */
export function exponentialDecay(options: ExponentialDecayOptions): (step: number) => number {
  const { initialLearningRate, decayRate, decaySteps, initialStep = 0, staircase = false } = options;
  if (!(initialLearningRate > 0) || !Number.isFinite(initialLearningRate)) {
    throw new Error(`exponentialDecay: initialLearningRate must be a positive number, got ${initialLearningRate}`);
  }
  if (!(decayRate > 0 && decayRate <= 1)) {
    throw new Error(`exponentialDecay: decayRate must be in (0, 1], got ${decayRate}`);
  }
  if (!(decaySteps > 0) || !Number.isFinite(decaySteps)) {
    throw new Error(`exponentialDecay: decaySteps must be a positive number, got ${decaySteps}`);
  }
  if (!Number.isInteger(initialStep) || initialStep < 0) {
    throw new Error(`exponentialDecay: initialStep must be a non-negative integer, got ${initialStep}`);
  }
  return (step: number): number => {
    if (!Number.isInteger(step) || step < 0) throw new Error(`learning-rate schedule: step must be a non-negative integer, got ${step}`);
    const progress = (initialStep + step) / decaySteps;
    return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(progress) : progress);
  };
}
