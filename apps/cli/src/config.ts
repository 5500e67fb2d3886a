// A run's config.json: every choice that shapes the result, resolved from flags and defaults, so eval,
// predict and --resume rebuild exactly the same model, data split and pipeline.
import { isAbsolute, resolve } from 'node:path';
import { MAGNITUDE_AWARE_GRADIENTS, MagnitudeAwareSign } from '@sketch-xnor/binary-ops';
import { TRAIN_DEFAULTS } from './defaults.js';
import { CliError, UsageError } from './errors.js';
import type { TrainFlags } from './program.js';
import { RUN_FILES, readRunJson } from './run-folder.js';
import { DEFAULT_SCHEDULE, SCHEDULE_PRESETS } from './schedules.js';

/** A kernel quantizer by name, or with its weight gradient (`--kernel-gradient`): `{ name, gradient }`. */
export type KernelQuantizerChoice = string | { name: string; gradient: string };

export const RUN_CONFIG_FORMAT = 'sketch-xnor-run';
export const RUN_CONFIG_VERSION = 1;

export interface RunConfig {
  format: typeof RUN_CONFIG_FORMAT;
  version: typeof RUN_CONFIG_VERSION;
  created: string;
  /** The command line that created the run. */
  command: string[];
  model: {
    name: string;
    /** Options handed to buildModel (classes is filled in once the dataset's categories are known). */
    options: {
      classes: number;
      inputSize: number;
      width: number;
      channels: number;
      seed: number;
      kernelQuantizer?: KernelQuantizerChoice;
      inputQuantizer?: string;
      inputScale?: 'xnor';
      batchNorm?: boolean;
    };
  };
  dataset: {
    kind: string;
    /** Absolute path of the data (absent for synthetic). */
    path?: string;
    /** The categories in label order (label i = categories[i]). */
    categories: string[];
    perCategory?: number;
    testFraction: number;
    /** Per-category parts in dealing order (`{ train: 54, test: 26 }`); when present it replaces testFraction. */
    split?: Record<string, number | 'rest'>;
    /** Which sketches each split held at train time (splitFingerprint); absent in runs from before they were recorded. */
    fingerprints?: { train: string; test: string };
  };
  sample: { renderSize: number; cropSize: number; channels: number; augment: boolean };
  training: {
    epochs: number;
    batchSize: number;
    /** `lr * decay^((initialStep + step) / decaySteps)`; initialStep absent = 0 (runs from before it existed). */
    learningRate: { initialLearningRate: number; decayRate: number; decaySteps: number; initialStep?: number };
    /** The --schedule preset the learning rate started from (explicit --lr* flags may have changed its values). */
    schedule?: string;
    /** L2 weight decay of Adam on kernels (absent = 0). */
    weightDecay?: number;
    seed: number;
    checkpointEverySteps?: number;
    maxSteps?: number;
  };
  /** Run the weights were initialized from. */
  init?: string;
  /** The command lines of each --resume, in order (config.json is rewritten with what they changed). */
  resumes?: string[][];
  /** Plugins (--plugin) loaded when the run was trained: its model may name their schemes. */
  plugins?: string[];
  backend: string;
  workers: number;
}

/** Sketches render at 256 for a 225 crop in Sketch-A-Net; other sizes keep that ratio. */
export function renderSizeFor(cropSize: number): number {
  return Math.round((cropSize * 256) / 225);
}

const absolute = (path: string) => (isAbsolute(path) ? path : resolve(path));

/** Resolves a fresh run's config from flags and defaults (categories still as requested: filled after the dataset opens). */
export function configFromFlags(flags: TrainFlags, argv: string[], now = new Date()): RunConfig {
  const dataset = flags.dataset ?? TRAIN_DEFAULTS.dataset;
  if (dataset !== 'synthetic' && flags.data === undefined) {
    throw new UsageError(`--dataset ${dataset} needs --data <path> (a folder or file of ${dataset} sketches)`);
  }
  const size = flags.size ?? TRAIN_DEFAULTS.size;
  if (flags.split !== undefined && flags.testFraction !== undefined) throw new UsageError('--split and --test-fraction both define the test set; give one');
  if (flags.renderSize !== undefined && flags.renderSize < size) {
    throw new UsageError(`--render-size ${flags.renderSize} is smaller than the crop --size ${size}; sketches must render at least as large as the crop`);
  }
  const channels = flags.channels ?? TRAIN_DEFAULTS.channels;
  if (channels !== 1 && channels !== 3) throw new UsageError(`--channels must be 1 or 3 (stroke-order channels), got ${channels}`);
  const schedule = schedulePreset(flags.schedule);
  const initialStep = flags.lrInitialStep ?? schedule.initialStep;
  const kernelQuantizer = kernelQuantizerChoice(flags);
  const config: RunConfig = {
    format: RUN_CONFIG_FORMAT,
    version: RUN_CONFIG_VERSION,
    created: now.toISOString(),
    command: argv,
    model: {
      name: flags.model ?? TRAIN_DEFAULTS.model,
      options: {
        classes: 0,
        inputSize: size,
        width: flags.width ?? TRAIN_DEFAULTS.width,
        channels,
        seed: flags.seed ?? TRAIN_DEFAULTS.seed,
        ...(kernelQuantizer !== undefined && { kernelQuantizer }),
        ...(flags.inputQuantizer !== undefined && { inputQuantizer: flags.inputQuantizer }),
        ...(flags.inputScale !== undefined && { inputScale: flags.inputScale }),
        ...(flags.batchNorm === true && { batchNorm: true }),
      },
    },
    dataset: {
      kind: dataset,
      ...(flags.data !== undefined && { path: absolute(flags.data) }),
      categories: flags.categories ?? [],
      ...(flags.perCategory !== undefined && { perCategory: flags.perCategory }),
      testFraction: flags.testFraction ?? TRAIN_DEFAULTS.testFraction,
      ...(flags.split !== undefined && { split: flags.split }),
    },
    sample: { renderSize: flags.renderSize ?? renderSizeFor(size), cropSize: size, channels, augment: flags.augment ?? TRAIN_DEFAULTS.augment },
    training: {
      epochs: flags.epochs ?? TRAIN_DEFAULTS.epochs,
      batchSize: flags.batch ?? TRAIN_DEFAULTS.batch,
      learningRate: {
        initialLearningRate: flags.lr ?? schedule.initialLearningRate,
        decayRate: flags.lrDecay ?? schedule.decayRate,
        decaySteps: flags.lrDecaySteps ?? schedule.decaySteps,
        ...(initialStep > 0 && { initialStep }),
      },
      ...(flags.schedule !== undefined && { schedule: flags.schedule }),
      ...(flags.weightDecay !== undefined && flags.weightDecay > 0 && { weightDecay: flags.weightDecay }),
      seed: flags.seed ?? TRAIN_DEFAULTS.seed,
      ...(flags.checkpointEvery !== undefined && { checkpointEverySteps: flags.checkpointEvery }),
      ...(flags.maxSteps !== undefined && { maxSteps: flags.maxSteps }),
    },
    ...(flags.init !== undefined && { init: absolute(flags.init) }),
    backend: flags.backend,
    workers: flags.workers ?? TRAIN_DEFAULTS.workers,
  };
  return config;
}

function schedulePreset(name: string | undefined) {
  if (name === undefined) return DEFAULT_SCHEDULE;
  const preset = Object.hasOwn(SCHEDULE_PRESETS, name) ? SCHEDULE_PRESETS[name] : undefined;
  if (preset === undefined) throw new UsageError(`unknown --schedule "${name}"; known schedules: ${Object.keys(SCHEDULE_PRESETS).join(', ')}`);
  return preset;
}

/** The built-in quantizer whose weight gradient --kernel-gradient picks when --kernel-quantizer names none. */
export const GRADIENT_QUANTIZER = MagnitudeAwareSign.quantizerName;

function kernelQuantizerChoice(flags: TrainFlags): KernelQuantizerChoice | undefined {
  if (flags.kernelGradient === undefined) return flags.kernelQuantizer;
  const name = flags.kernelQuantizer ?? GRADIENT_QUANTIZER;
  if (name === GRADIENT_QUANTIZER && !(MAGNITUDE_AWARE_GRADIENTS as readonly string[]).includes(flags.kernelGradient)) {
    throw new UsageError(`unknown --kernel-gradient "${flags.kernelGradient}"; ${GRADIENT_QUANTIZER} has ${MAGNITUDE_AWARE_GRADIENTS.join(', ')}`);
  }
  return { name, gradient: flags.kernelGradient };
}

export const kernelQuantizerName = (choice: KernelQuantizerChoice | undefined) => (typeof choice === 'object' ? choice.name : choice);
const kernelGradientOf = (choice: KernelQuantizerChoice | undefined) => (typeof choice === 'object' ? choice.gradient : undefined);

/** Flags that may change when resuming: where and how fast it runs, and how long. Everything else is the run's. */
const RESUME_OVERRIDABLE = new Set(['out', 'resume', 'backend', 'workers', 'threads', 'progress', 'epochs', 'maxSteps', 'checkpointEvery']);

/**
 * The config of a resumed run: the recorded one, with the few flags that may change. A flag that would change
 * the run itself (model, data, learning rate...) is an error rather than silently ignored.
 */
export function resumeConfig(recorded: RunConfig, flags: TrainFlags, explicit: ReadonlySet<string>, argv: string[]): RunConfig {
  const fresh = configFromFlags({ ...flags, dataset: flags.dataset ?? recorded.dataset.kind, data: flags.data ?? recorded.dataset.path }, argv);
  for (const key of explicit) {
    if (RESUME_OVERRIDABLE.has(key)) continue;
    const [was, now] = comparable(key, recorded, fresh);
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      throw new UsageError(
        `--${kebab(key)} ${JSON.stringify(now)} differs from the resumed run's recorded ${JSON.stringify(was)}; ` +
          '--resume continues the recorded run (start a new --out to train with other settings)',
      );
    }
  }
  return {
    ...recorded,
    backend: fresh.backend,
    workers: explicit.has('workers') ? fresh.workers : recorded.workers,
    training: {
      ...recorded.training,
      ...(explicit.has('epochs') && { epochs: fresh.training.epochs }),
      ...(explicit.has('maxSteps') && { maxSteps: fresh.training.maxSteps }),
      ...(explicit.has('checkpointEvery') && { checkpointEverySteps: fresh.training.checkpointEverySteps }),
    },
  };
}

function comparable(key: string, recorded: RunConfig, fresh: RunConfig): [unknown, unknown] {
  const pick = (c: RunConfig): unknown =>
    ({
      model: c.model.name,
      dataset: c.dataset.kind,
      data: c.dataset.path,
      categories: c.dataset.categories,
      perCategory: c.dataset.perCategory,
      testFraction: c.dataset.testFraction,
      split: c.dataset.split,
      renderSize: c.sample.renderSize,
      weightDecay: c.training.weightDecay,
      inputScale: c.model.options.inputScale,
      batchNorm: c.model.options.batchNorm,
      kernelQuantizer: kernelQuantizerName(c.model.options.kernelQuantizer),
      kernelGradient: kernelGradientOf(c.model.options.kernelQuantizer),
      inputQuantizer: c.model.options.inputQuantizer,
      batch: c.training.batchSize,
      size: c.sample.cropSize,
      width: c.model.options.width,
      channels: c.sample.channels,
      lr: c.training.learningRate.initialLearningRate,
      lrDecay: c.training.learningRate.decayRate,
      lrDecaySteps: c.training.learningRate.decaySteps,
      lrInitialStep: c.training.learningRate.initialStep ?? 0,
      schedule: c.training.schedule,
      augment: c.sample.augment,
      seed: c.training.seed,
      init: c.init,
    })[key];
  return [pick(recorded), pick(fresh)];
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Reads and checks a run's config.json. */
export function readRunConfig(runDir: string): RunConfig {
  const config = readRunJson(runDir, RUN_FILES.config, 'the run config') as Partial<RunConfig>;
  const where = `${runDir}/${RUN_FILES.config}`;
  if (config?.format !== RUN_CONFIG_FORMAT) throw new CliError(`${where} is not a sketch-xnor run config (no "format": "${RUN_CONFIG_FORMAT}")`);
  if (config.version !== RUN_CONFIG_VERSION) throw new CliError(`${where} has version ${config.version}; this sketch-xnor reads version ${RUN_CONFIG_VERSION}`);
  for (const key of ['model', 'dataset', 'sample', 'training'] as const) {
    if (typeof config[key] !== 'object' || config[key] === null) throw new CliError(`${where} has no "${key}" section`);
  }
  if (!Array.isArray(config.dataset!.categories) || config.dataset!.categories.length === 0) {
    throw new CliError(`${where}: "dataset.categories" must list the categories in label order`);
  }
  return config as RunConfig;
}
