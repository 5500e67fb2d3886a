// What `sketch-xnor train` does when a flag is not given. The no-flag run (synthetic data) is sized to finish
// in under 5 minutes on 2 CPU cores at >= 80% held-out top-1; see the README for the measured numbers.

export const DEFAULT_RUN_DIR = 'runs/latest';

export const TRAIN_DEFAULTS = {
  model: 'sketch-a-net',
  dataset: 'synthetic',
  testFraction: 0.2,
  epochs: 10,
  batch: 32,
  size: 96,
  width: 0.5,
  channels: 1,
  lr: 0.002,
  lrDecay: 0.96,
  lrDecaySteps: 100,
  seed: 1,
  workers: 0,
  augment: true,
} as const;
