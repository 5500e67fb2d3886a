// Learning-rate presets of `train --schedule`: named sets of --lr, --lr-decay, --lr-decay-steps and
// --lr-initial-step (explicit flags override a preset's values). The numbers live in @sketch-xnor/trainer.
import { STUDY_LEARNING_RATE_SCHEDULE } from '@sketch-xnor/trainer';
import { TRAIN_DEFAULTS } from './defaults.js';

export interface SchedulePreset {
  initialLearningRate: number;
  decayRate: number;
  decaySteps: number;
  initialStep: number;
  /** What the numbers are and where they come from, for --help. */
  about: string;
}

export const SCHEDULE_PRESETS: Readonly<Record<string, SchedulePreset>> = {
  study: {
    initialLearningRate: STUDY_LEARNING_RATE_SCHEDULE.initialLearningRate,
    decayRate: STUDY_LEARNING_RATE_SCHEDULE.decayRate,
    decaySteps: STUDY_LEARNING_RATE_SCHEDULE.decaySteps,
    initialStep: STUDY_LEARNING_RATE_SCHEDULE.initialStep,
    about: `the study does not state its decay rate; ${STUDY_LEARNING_RATE_SCHEDULE.decayRate} is this project's assumption`,
  },
};

/** The schedule without --schedule: the project's defaults. */
export const DEFAULT_SCHEDULE: SchedulePreset = {
  initialLearningRate: TRAIN_DEFAULTS.lr,
  decayRate: TRAIN_DEFAULTS.lrDecay,
  decaySteps: TRAIN_DEFAULTS.lrDecaySteps,
  initialStep: 0,
  about: 'the project default',
};

/** `study: Adam lr 0.01, x0.96 per 1000 steps from global step 10000 (...)`, one line per preset. */
export function describeSchedules(): string[] {
  return Object.entries(SCHEDULE_PRESETS).map(
    ([name, p]) => `${name}: Adam lr ${p.initialLearningRate}, x${p.decayRate} per ${p.decaySteps} steps from global step ${p.initialStep} (${p.about})`,
  );
}
