// `sketch-xnor train`: resolve the config, open the data, build (or resume) the model, train with a progress
// bar, and leave a complete run folder: config.json, metrics.jsonl, checkpoints and the TF.js model.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkpointFile, jsonlLogger, metricsFile, train, type EvalEvent, type TrainEvent } from '@sketch-xnor/trainer';
import { configFromFlags, readRunConfig, resumeConfig, type RunConfig } from '../config.js';
import { DEFAULT_RUN_DIR } from '../defaults.js';
import { centerViewBatches, checkDatasetKind, loadRunData, splitChangeWarning, splitFingerprints, testStream, trainStream, type RunData } from '../data-source.js';
import { CliError, EXIT, UsageError, describeError } from '../errors.js';
import { interruptSignal } from '../interrupt.js';
import { buildRunModel, checkKernelGradient, checkModelName, initModelFrom, saveRunModel } from '../model-io.js';
import { selectBackend } from '../backend.js';
import { wasmThreads } from '@sketch-xnor/backends';
import type { TrainFlags } from '../program.js';
import { TrainingProgress, formatEval, formatDuration } from '../progress.js';
import { RUN_FILES, pointLatestAt, timestampedRunDir, writeRunJson } from '../run-folder.js';
import { reportProblems } from '../problems.js';
import { loadedPlugins } from '../plugin-loader.js';
import { workerCount } from '../workers.js';
import { isSameOrInside } from '../export-target.js';

async function prepareRunDir(flags: TrainFlags, explicit: ReadonlySet<string>, argv: string[]): Promise<{ runDir: string; config: RunConfig; resume: boolean }> {
  if (flags.resume) {
    if (flags.out === undefined) throw new UsageError('--resume needs --out <run>: the run folder to continue');
    const recorded = readRunConfig(flags.out);
    if (!existsSync(checkpointFile(flags.out))) {
      throw new CliError(`${flags.out} has no checkpoint to resume from (${checkpointFile(flags.out)} is missing: it stopped before its first one); remove ${flags.out} and train it again without --resume`);
    }
    return { runDir: flags.out, config: resumeConfig(recorded, flags, explicit, argv), resume: true };
  }
  const runDir = flags.out ?? timestampedRunDir(DEFAULT_RUN_DIR.replace(/\/[^/]+$/, ''));
  if (existsSync(runDir) && readdirSync(runDir).length > 0) {
    throw new CliError(`${runDir} already holds a run; add --resume to continue it, or choose another --out`);
  }
  return { runDir, config: configFromFlags(flags, argv), resume: false };
}

/** Refuses data that cannot train (an empty split) before anything is written to the run folder. */
function checkSplits(data: RunData, dataset: RunConfig['dataset']): void {
  const where = dataset.path ?? dataset.kind;
  const split = dataset.split === undefined ? `--test-fraction ${dataset.testFraction}` : `--split ${Object.entries(dataset.split).map(([part, size]) => `${part}:${size}`).join(',')}`;
  for (const part of ['train', 'test'] as const) {
    if (data[part].length === 0) throw new UsageError(`${split} leaves the ${part} split of ${where} empty (${data.train.length} train / ${data.test.length} test sketches); give each part at least one sketch per category`);
  }
}

/** File-system errors that mean the run folder cannot be written (read-only, full, no permission, a file in the way). */
const WRITE_FAILURE_CODES = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EEXIST']);
const isWriteFailure = (err: unknown): boolean => err instanceof Error && WRITE_FAILURE_CODES.has(String((err as NodeJS.ErrnoException).code));

/** ` (N threads)` for the wasm backend, which may run on several. */
async function threadNote(backend: string): Promise<string> {
  const count = backend === 'wasm' ? await wasmThreads() : undefined;
  return count === undefined ? '' : ` (${count} thread${count === 1 ? '' : 's'})`;
}

/** What to tell a user whose training stopped because the run folder could not be written. */
function writeFailureMessage(err: unknown, runDir: string, step: number | undefined, checkpoint: { file: string; step?: number } | undefined): string {
  const stopped = `cannot write to the run folder ${runDir}: ${describeError(err)}; training stopped${step === undefined ? '' : ` at step ${step}`}`;
  const fix = 'Once the folder is writable (free space, permissions, the file in the way)';
  if (checkpoint === undefined) return `${stopped} before its first checkpoint. ${fix}, remove ${runDir} and train again`;
  return `${stopped} and the checkpoint ${checkpoint.file}${checkpoint.step === undefined ? '' : ` (step ${checkpoint.step})`} is intact. ${fix}, continue with: sketch-xnor train --out ${runDir} --resume`;
}

export async function runTrain(flags: TrainFlags, explicit: ReadonlySet<string>): Promise<void> {
  const argv = process.argv.slice(2);
  const { runDir, config, resume } = await prepareRunDir(flags, explicit, argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  // Everything is checked before the first file is written: a refused run leaves no config.json behind (which
  // would make the folder "already hold a run"). Names first: a typo should not wait for the backend or the data.
  checkModelName(config.model.name);
  checkDatasetKind(config.dataset.kind);
  config.workers = workerCount(config.workers, log);
  // one thread unless asked: at the default model size a second thread measured slower here (see the README)
  const backend = await selectBackend(config.backend, flags.threads);
  const data = await loadRunData(config.dataset);
  reportProblems(data.problems, log);
  data.notes.forEach((note) => log(note));
  checkSplits(data, config.dataset);
  if (resume) {
    const changed = splitChangeWarning(runDir, config.dataset, data, ['train', 'test']);
    if (changed) log(changed);
  } else {
    config.dataset.fingerprints = splitFingerprints(data);
  }
  config.dataset.categories = data.categories;
  config.model.options.classes = data.categories.length;

  if (!resume) await checkKernelGradient(config, explicit.has('kernelQuantizer'));
  const model = await buildRunModel(config);
  if (config.init !== undefined && !resume) {
    const { copied, skipped, notes } = await initModelFrom(model, config.init, data.categories);
    log(`initialized ${copied.length} layers from ${config.init}${skipped.length ? `; kept the new initialization of ${skipped.map((s) => `${s.layer} (${s.why})`).join(', ')}` : ''}`);
    notes.forEach((note) => log(note));
  }
  const settings = { sample: config.sample, batchSize: config.training.batchSize, seed: config.training.seed, workers: config.workers };
  const trainData = trainStream(data, { ...settings, epochs: config.training.epochs });
  const testData = testStream(data.test, data.categories, settings);

  const interrupt = interruptSignal('stopping after this step and writing a checkpoint');
  // A failed write (read-only folder, full disk) stops training like Ctrl-C: at the next step, with a checkpoint.
  const writeStop = new AbortController();
  let writeFailure: unknown;
  const progress = new TrainingProgress({ bar: flags.progress, stream: process.stderr });
  const started = performance.now();
  let lastEval: EvalEvent | undefined;
  // A resumed run starts from an intact checkpoint even before it writes one of its own.
  let lastCheckpoint: { file: string; step?: number } | undefined = resume ? { file: checkpointFile(runDir) } : undefined;
  let lastStep: number | undefined;
  // Epochs before the last are evaluated on the center view only (a tenth of the cost); the last on all 10 views.
  let lastEpochDone = false;
  let done: Extract<TrainEvent, { type: 'done' }> | undefined;
  try {
    await mkdir(runDir, { recursive: true });
    if (resume) {
      // what may change on resume (epochs, max steps, backend...) is recorded, with the command that changed it
      config.resumes = [...(config.resumes ?? []), argv];
    } else {
      const plugins = loadedPlugins();
      if (plugins.length > 0) config.plugins = [...plugins];
    }
    await writeRunJson(runDir, RUN_FILES.config, config);
    log(
      `${resume ? 'resuming' : 'training'} ${config.model.name} (input ${config.sample.cropSize}px, width ${config.model.options.width}) on ${config.dataset.kind}: ` +
        `${data.categories.length} categories, ${data.train.length} train / ${data.test.length} test sketches, backend ${backend}${await threadNote(backend)}, run folder ${runDir}`,
    );
    const events = train({
      model,
      trainData,
      testData: () => (lastEpochDone ? testData.batches(0) : centerViewBatches(testData.batches(0))),
      epochs: config.training.epochs,
      learningRate: config.training.learningRate,
      ...(config.training.weightDecay !== undefined && { optimizer: { weightDecay: config.training.weightDecay } }),
      seed: config.training.seed,
      runDir,
      resume,
      signal: AbortSignal.any([interrupt, writeStop.signal]),
      ...(config.training.checkpointEverySteps !== undefined && { checkpointEverySteps: config.training.checkpointEverySteps }),
      ...(config.training.maxSteps !== undefined && { maxSteps: config.training.maxSteps }),
    });
    const logger = jsonlLogger(metricsFile(runDir));
    // An error thrown in a subscriber's handler never reaches the trainer (rxjs reports it as uncaught): catch it here.
    const record = (write: () => void) => {
      if (writeFailure !== undefined) return;
      try {
        write();
      } catch (err) {
        writeFailure = err;
        writeStop.abort(err);
      }
    };
    await new Promise<void>((resolve, reject) => {
      events.subscribe({
        next: (event) => {
          record(() => logger.next(event));
          progress.handle(event);
          if (event.type === 'start' && event.resumedFrom !== undefined) lastCheckpoint = { file: event.resumedFrom, step: event.step };
          if (event.type === 'step') lastStep = event.step;
          if (event.type === 'epoch' && event.epoch === config.training.epochs - 1) lastEpochDone = true;
          if (event.type === 'eval') lastEval = event;
          if (event.type === 'checkpoint') lastCheckpoint = { file: event.file, step: event.step };
          if (event.type === 'done') done = event;
        },
        error: (err: unknown) => {
          record(() => logger.error(err));
          reject(err);
        },
        complete: () => resolve(),
      });
    });
  } catch (err) {
    if (isWriteFailure(err)) throw new CliError(writeFailureMessage(writeFailure ?? err, runDir, lastStep, lastCheckpoint), undefined, { cause: err });
    throw err;
  } finally {
    progress.stop();
    await Promise.all([trainData.close(), testData.close()]);
  }

  const seconds = (performance.now() - started) / 1000;
  if (writeFailure !== undefined) throw new CliError(writeFailureMessage(writeFailure, runDir, done?.step, lastCheckpoint), undefined, { cause: writeFailure });
  if (done?.reason === 'aborted') {
    throw new CliError(
      `interrupted at step ${done.step}; the checkpoint ${done.checkpoint ?? '(none yet)'} is intact. Continue with: sketch-xnor train --out ${runDir} --resume`,
      EXIT.interrupted,
    );
  }
  try {
    await saveRunModel(runDir, model, config);
  } catch (err) {
    if (isWriteFailure(err)) throw new CliError(writeFailureMessage(err, runDir, done?.step, lastCheckpoint), undefined, { cause: err });
    throw err;
  }
  // runs/latest follows every run trained into runs/ (the default folder, or an --out inside it), so a later
  // eval, predict or viz without --run picks the newest one
  const runsFolder = dirname(DEFAULT_RUN_DIR);
  const latest = (flags.out === undefined || (existsSync(runsFolder) && isSameOrInside(runDir, runsFolder))) && (await pointLatestAt(DEFAULT_RUN_DIR, runDir));
  process.stdout.write(`run folder: ${runDir}${latest ? ` (also ${DEFAULT_RUN_DIR})` : ''}\n`);
  if (lastEval) process.stdout.write(`${formatEval(lastEval)}\n`);
  process.stdout.write(`trained ${done?.step ?? 0} steps in ${formatDuration(seconds)}\n`);
}
