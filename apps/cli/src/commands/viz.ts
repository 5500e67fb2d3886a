// `sketch-xnor viz`: what one run (or several, side by side) learned, as figures and report.html — activation
// maps, filters, weight histograms and sign flips, training curves, confusion matrix, saliency and activation
// maximization — computed by @sketch-xnor/viz from the run folders and one sketch file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import cliProgress from 'cli-progress';
import { openDataset, prepareTestViews, type Sketch } from '@sketch-xnor/data';
import { checkpointFile, loadCheckpoint, PREVIOUS_CHECKPOINT_FILE } from '@sketch-xnor/trainer';
import {
  buildVizReport, convActivationSites, kernelWeights, kernelsByLayerName, parseMetricsJsonl, writeReport,
  type HwcImage, type VizProgress, type VizRun,
} from '@sketch-xnor/viz';
import { selectBackend } from '../backend.js';
import { readRunConfig, type RunConfig } from '../config.js';
import { centerViewBatches, loadRunData, splitChangeWarning, testStream } from '../data-source.js';
import { workerCount } from '../workers.js';
import { CliError } from '../errors.js';
import { interruptSignal } from '../interrupt.js';
import { loadRunModel } from '../model-io.js';
import { reportProblems } from '../problems.js';
import { RUN_FILES } from '../run-folder.js';

export interface VizFlags {
  run: string;
  /** More runs shown side by side with --run (e.g. its BWN and XNOR versions). */
  compare?: string[];
  sketch: string;
  /** Report folder; default: the --run folder. */
  out?: string;
  backend: string;
  /** Read the test data from here instead of the path in each run's config.json. */
  data?: string;
  /** Classify the test split for the confusion matrix (commander's --no-eval sets false). */
  eval: boolean;
  /** Activation maximization steps per image; 0 skips it. */
  steps: number;
  workers?: number;
  progress: boolean;
}

const SKETCH_KINDS: Record<string, string> = { '.ndjson': 'quickdraw', '.svg': 'tu-berlin-svg', '.png': 'tu-berlin-png' };

/** The first sketch of a .png, .svg or .ndjson file. */
async function readFirstSketch(file: string): Promise<Sketch> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`--sketch ${file}: no such file`);
  const kind = SKETCH_KINDS[extname(file).toLowerCase()];
  if (kind === undefined) throw new CliError(`--sketch ${file}: cannot read "${extname(file)}" files; use ${Object.keys(SKETCH_KINDS).join(', ')}`);
  const dataset = await openDataset({ kind, path: file });
  for await (const sketch of dataset.sketches()) return sketch;
  const reason = dataset.problems[0] ? `: ${dataset.problems[0].reason}` : '';
  throw new CliError(`--sketch ${file}: no readable sketch in it${reason}`);
}

interface LoadedRun {
  dir: string;
  config: RunConfig;
  model: LayersModel;
}

/** Runs shown together must classify the same categories with the same network depth. */
function checkComparable(runs: readonly LoadedRun[]): void {
  const [first, ...others] = runs;
  for (const other of others) {
    const a = first!.config.dataset.categories;
    const b = other.config.dataset.categories;
    if (a.length !== b.length || a.some((name, i) => name !== b[i])) {
      throw new CliError(`runs cannot be compared: ${first!.dir} and ${other.dir} classify different categories (${a.length} and ${b.length})`);
    }
    const depthA = convActivationSites(first!.model).length;
    const depthB = convActivationSites(other.model).length;
    if (depthA !== depthB) {
      throw new CliError(`runs cannot be compared: ${first!.dir} has ${depthA} convolutions, ${other.dir} has ${depthB}`);
    }
  }
}

/** The sketch as the run's test pipeline sees it: the center view. */
function centerView(sketch: Sketch, config: RunConfig): HwcImage {
  const sample = { renderSize: config.sample.renderSize, cropSize: config.sample.cropSize, channels: config.sample.channels, augment: false as const };
  const data = prepareTestViews(sketch, sample)[0]!;
  return { height: config.sample.cropSize, width: config.sample.cropSize, channels: config.sample.channels, data };
}

/** True labels and center-view predictions on the run's held-out test split. */
async function classifyTestSplit(run: LoadedRun, flags: VizFlags, log: (line: string) => void): Promise<VizRun['evaluation']> {
  const dataset = flags.data === undefined ? run.config.dataset : { ...run.config.dataset, path: resolve(flags.data) };
  const data = await loadRunData(dataset);
  reportProblems(data.problems, log);
  if (data.test.length === 0) {
    log(`${run.dir}: empty test split, no confusion matrix`);
    return undefined;
  }
  const changed = splitChangeWarning(run.dir, dataset, data, ['test']);
  if (changed) log(changed);
  const stream = testStream(data.test, run.config.dataset.categories, {
    sample: run.config.sample,
    batchSize: run.config.training.batchSize,
    seed: run.config.training.seed,
    workers: workerCount(flags.workers ?? run.config.workers, log),
  });
  const labels: number[] = [];
  const predictions: number[] = [];
  try {
    for await (const batch of centerViewBatches(stream.batches(0))) {
      const predicted = tf.tidy(() => {
        const input = tf.tensor4d(batch.images, [batch.size, batch.height, batch.width, batch.channels]);
        return tf.argMax(run.model.predict(input) as tf.Tensor, -1).dataSync();
      });
      labels.push(...batch.labels);
      predictions.push(...predicted);
    }
  } finally {
    await stream.close();
  }
  return { labels, predictions };
}

/** Kernels of the run's previous checkpoint (or of the run it was initialized from), for the sign-flip chart. */
async function earlierWeights(run: LoadedRun): Promise<VizRun['earlierWeights']> {
  const current = kernelWeights(run.model);
  const previous = join(run.dir, PREVIOUS_CHECKPOINT_FILE);
  if (existsSync(previous) && existsSync(checkpointFile(run.dir))) {
    const checkpoint = await loadCheckpoint(previous);
    const weights = kernelsByLayerName(checkpoint.weights, current);
    if (weights.length > 0) return { label: `the previous checkpoint (step ${checkpoint.position.step})`, weights };
  }
  if (run.config.init && existsSync(join(run.config.init, RUN_FILES.model))) {
    const initial = await loadRunModel(run.config.init, readRunConfig(run.config.init));
    const weights = kernelsByLayerName(
      kernelWeights(initial).map((k) => ({ name: `${k.layer}/kernel`, shape: k.shape, data: k.values })),
      current,
    );
    initial.dispose();
    if (weights.length > 0) return { label: `initialization from ${run.config.init}`, weights };
  }
  return undefined;
}

/** Optimizer steps of the chain of runs this one was initialized from (--init), as their metrics record them. */
function stepsBefore(config: RunConfig, seen = new Set<string>()): number {
  const init = config.init;
  if (init === undefined || seen.has(init) || !existsSync(join(init, RUN_FILES.config))) return 0;
  seen.add(init);
  const steps = (readMetrics(init) ?? []).reduce((most, event) => Math.max(most, typeof event.step === 'number' ? event.step : 0), 0);
  return steps + stepsBefore(readRunConfig(init), seen);
}

function readMetrics(dir: string): VizRun['events'] {
  const file = join(dir, RUN_FILES.metrics);
  const note = (line: string) => process.stderr.write(`${line}\n`);
  return existsSync(file) ? parseMetricsJsonl(readFileSync(file, 'utf8'), file, note) : undefined;
}

/** A bar for activation maximization on a TTY, a line per stage elsewhere. */
function vizProgress(showBar: boolean, log: (line: string) => void): { onProgress: (p: VizProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let stage = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (p: VizProgress) => {
    if (p.stage !== stage) {
      stop();
      stage = p.stage;
      if (showBar && process.stderr.isTTY && p.total > 1) {
        bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${p.stage} {bar} {percentage}% | {eta_formatted} left`, barsize: 24, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(p.total, p.done);
      } else {
        log(`${p.stage}...`);
      }
    }
    bar?.update(p.done);
    if (p.done >= p.total) stop();
  };
  return { onProgress, stop };
}

export async function runViz(flags: VizFlags): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const dirs = [flags.run, ...(flags.compare ?? [])];
  const configs = dirs.map((dir) => ({ dir, config: readRunConfig(dir) }));
  const sketch = await readFirstSketch(flags.sketch);
  await selectBackend(flags.backend);
  const runs: LoadedRun[] = [];
  for (const { dir, config } of configs) runs.push({ dir, config, model: await loadRunModel(dir, config) });
  checkComparable(runs);

  const vizRuns: VizRun[] = [];
  for (const run of runs) {
    if (flags.eval) log(`${run.dir}: classifying the test split for the confusion matrix (--no-eval skips it)`);
    vizRuns.push({
      label: run.dir.replace(/\/+$/, '').split(/[\\/]/).pop() ?? run.dir,
      model: run.model,
      path: run.dir,
      config: run.config,
      events: readMetrics(run.dir),
      stepOffset: stepsBefore(run.config),
      categories: run.config.dataset.categories,
      evaluation: flags.eval ? await classifyTestSplit(run, flags, log) : undefined,
      earlierWeights: await earlierWeights(run),
    });
  }

  const categories = runs[0]!.config.dataset.categories;
  const sketchClass = categories.indexOf(sketch.label);
  const progress = vizProgress(flags.progress, log);
  const signal = interruptSignal('stopping after this step');
  let report;
  try {
    report = await buildVizReport(vizRuns, {
      sketch: centerView(sketch, runs[0]!.config),
      sketchName: `${flags.sketch}${sketch.label ? ` (${sketch.label})` : ''}`,
      ...(sketchClass >= 0 ? { sketchClass } : {}),
      maximization: flags.steps > 0 ? { steps: flags.steps } : false,
      onProgress: progress.onProgress,
      signal,
      generatedAt: new Date().toISOString(),
    });
  } finally {
    progress.stop();
  }
  const out = flags.out ?? flags.run;
  const written = await writeReport(out, report);
  process.stdout.write(`${written.length - 1} figures and ${join(out, 'report.html')}\n`);
}
