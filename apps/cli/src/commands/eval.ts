// `sketch-xnor eval`: the trained model of a run on the run's own held-out test split, center view and 10 views.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { evaluate, type EvalEvent } from '@sketch-xnor/trainer';
import { selectBackend } from '../backend.js';
import { readRunConfig, type RunConfig } from '../config.js';
import { loadPredictor } from '../predictor.js';
import { loadRunData, splitChangeWarning, testStream } from '../data-source.js';
import { CliError, UsageError } from '../errors.js';
import { ENSEMBLE_RULE, loadEnsemble, type Member } from '../ensemble.js';
import { loadRunModel } from '../model-io.js';
import type { EvalFlags } from '../program.js';
import { formatPercent } from '../progress.js';
import { reportProblems } from '../problems.js';
import { workerCount } from '../workers.js';

type EvalMetrics = Omit<EvalEvent, 'type' | 'step' | 'epoch' | 'time'>;

/** `top-1: 85.0% (center), 86.5% (10-view)` and the same for top-5. */
export function formatEvalReport(metrics: EvalMetrics): string {
  const line = (k: 1 | 5) => {
    const center = k === 1 ? metrics.top1 : metrics.top5;
    const multi = k === 1 ? metrics.top1TenView : metrics.top5TenView;
    const vote = k === 1 ? metrics.top1Vote : metrics.top5Vote;
    let text = `top-${k}: ${formatPercent(center)} (center)`;
    if (multi !== undefined) text += `, ${formatPercent(multi)} (${metrics.views}-view)`;
    if (vote !== undefined) text += `, ${formatPercent(vote)} (${metrics.views}-view vote)`;
    return text;
  };
  return `${line(1)}\n${line(5)}\n`;
}

const DEFAULT_LATENCY_REPEATS = 50;

/** Timed forward passes: 0 without --latency, its value, or the default for a bare --latency. */
const latencyRepeats = (flags: EvalFlags) => (flags.latency === undefined ? 0 : flags.latency === true ? DEFAULT_LATENCY_REPEATS : flags.latency);

interface ModelReport extends EvalMetrics {
  /** Median milliseconds of one single-image forward pass (center view), when asked for. */
  latencyMs?: number;
}

export async function runEval(flags: EvalFlags): Promise<void> {
  if (flags.run.length > 1) return runEnsembleEval(flags);
  const [runDir] = flags.run as [string];
  const config = readRunConfig(runDir);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const backend = await selectBackend(flags.backend);
  const model = await loadRunModel(runDir, config);
  const bundle = flags.bundle === undefined ? undefined : await loadBundleOf(flags.bundle, config);
  if (flags.latencyOnly) return reportLatencyOnly(flags, config, backend, model, bundle);
  const stream = await openTestSplit(runDir, config, flags, log);
  const repeats = latencyRepeats(flags);
  const report = async (subject: LayersModel): Promise<ModelReport> => ({
    ...(await evaluate(subject, () => stream.batches(0))),
    ...(repeats > 0 && { latencyMs: medianLatencyMs(subject, config.sample, repeats) }),
  });
  let runReport: ModelReport;
  let bundleReport: ModelReport | undefined;
  try {
    runReport = await report(model);
    if (bundle) bundleReport = await report(bundle);
  } finally {
    await stream.close();
  }
  if (flags.json) {
    const bundlePart = bundleReport && { bundle: { path: flags.bundle, ...bundleReport } };
    process.stdout.write(`${JSON.stringify({ run: runDir, backend, ...runReport, ...bundlePart })}\n`);
    return;
  }
  process.stdout.write(`${runDir}: ${describeSubject(config, runReport)}\n`);
  process.stdout.write(formatEvalReport(runReport) + formatLatency(runReport, backend));
  if (bundleReport) {
    process.stdout.write(`${flags.bundle} (packed bundle):\n`);
    process.stdout.write(formatEvalReport(bundleReport) + formatLatency(bundleReport, backend));
  }
}

const describeSubject = (config: RunConfig, report: EvalMetrics) =>
  `${config.model.name} on ${report.samples} held-out ${config.dataset.kind} sketches, ${config.dataset.categories.length} categories`;

/** The run's held-out test split (from --data if given), with its problems, notes and a changed-split warning logged. */
async function openTestSplit(runDir: string, config: RunConfig, flags: EvalFlags, log: (line: string) => void) {
  const dataset = flags.data === undefined ? config.dataset : { ...config.dataset, path: isAbsolute(flags.data) ? flags.data : resolve(flags.data) };
  const data = await loadRunData(dataset);
  reportProblems(data.problems, log);
  data.notes.forEach((note) => log(note));
  if (data.test.length === 0) throw new CliError(`the test split of ${runDir}'s data is empty (${dataset.path ?? dataset.kind})`);
  const changed = splitChangeWarning(runDir, dataset, data, ['test']);
  if (changed) log(changed);
  return testStream(data.test, config.dataset.categories, {
    sample: config.sample,
    batchSize: config.training.batchSize,
    seed: config.training.seed,
    workers: workerCount(flags.workers ?? config.workers, log),
  });
}

/**
 * `eval --run a --run b ...`: the ensemble (the mean of the members' softmax probabilities, per view) and each member
 * on the test split of the first run folder among them (a bundle records no split).
 */
async function runEnsembleEval(flags: EvalFlags): Promise<void> {
  if (flags.bundle !== undefined || flags.latency !== undefined || flags.latencyOnly) {
    throw new UsageError('--bundle and --latency compare one run with its bundle; give a single --run (a bundle can itself be an ensemble member: --run <bundle>)');
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const backend = await selectBackend(flags.backend);
  const ensemble = await loadEnsemble(flags.run);
  const runs = ensemble.members.filter((m): m is Member & { config: RunConfig } => m.config !== undefined);
  if (runs.length === 0) throw new CliError(`eval needs a run folder among --run ${flags.run.join(' --run ')}: bundles record no test split`);
  const [{ path: runDir, config }] = runs as [Member & { config: RunConfig }];
  const held = (m: { config: RunConfig }) => m.config.dataset.fingerprints?.test;
  for (const other of runs.slice(1)) {
    if (held(other) !== undefined && held(runs[0]!) !== undefined && held(other) !== held(runs[0]!)) {
      log(`warning: ${other.path} held out another test split than ${runDir}; the ensemble is evaluated on ${runDir}'s, which may hold sketches ${other.path} trained on`);
    }
  }
  const stream = await openTestSplit(runDir, config, flags, log);
  let ensembleReport: EvalMetrics;
  const memberReports: Array<{ run: string } & EvalMetrics> = [];
  try {
    ensembleReport = await evaluate(ensemble.model, () => stream.batches(0));
    for (const member of ensemble.members) memberReports.push({ run: member.path, ...(await evaluate(member.model, () => stream.batches(0))) });
  } finally {
    await stream.close();
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ runs: flags.run, ensemble: ENSEMBLE_RULE, splitOf: runDir, backend, ...ensembleReport, members: memberReports })}\n`);
    return;
  }
  process.stdout.write(`ensemble of ${flags.run.length} (${ENSEMBLE_RULE}) on ${runDir}'s split: ${describeSubject(config, ensembleReport)}\n`);
  process.stdout.write(formatEvalReport(ensembleReport));
  for (const member of memberReports) process.stdout.write(`${member.run}:\n${formatEvalReport(member)}`);
}

/** `eval --latency-only`: the timing of the run (and bundle) without the test split, e.g. to re-time on a quiet machine. */
function reportLatencyOnly(flags: EvalFlags, config: RunConfig, backend: string, model: LayersModel, bundle: LayersModel | undefined): void {
  const repeats = latencyRepeats(flags) || DEFAULT_LATENCY_REPEATS;
  const latencyMs = medianLatencyMs(model, config.sample, repeats);
  const bundleLatencyMs = bundle && medianLatencyMs(bundle, config.sample, repeats);
  if (flags.json) {
    const bundlePart = bundle && { bundle: { path: flags.bundle, latencyMs: bundleLatencyMs } };
    process.stdout.write(`${JSON.stringify({ run: flags.run[0], backend, latencyMs, ...bundlePart })}\n`);
    return;
  }
  process.stdout.write(`${flags.run[0]}: ${formatLatency({ latencyMs }, backend)}`);
  if (bundle) process.stdout.write(`${flags.bundle} (packed bundle): ${formatLatency({ latencyMs: bundleLatencyMs }, backend)}`);
}

const formatLatency = (report: { latencyMs?: number }, backend: string) =>
  report.latencyMs === undefined ? '' : `latency: ${report.latencyMs.toFixed(2)} ms per image (batch 1, ${backend})\n`;

async function loadBundleOf(dir: string, config: RunConfig): Promise<LayersModel> {
  if (!existsSync(join(dir, 'manifest.json'))) throw new CliError(`--bundle ${dir} is not a packed bundle (no manifest.json); make one with sketch-xnor export`);
  const predictor = await loadPredictor(dir);
  const { cropSize, channels } = predictor.sample;
  if (cropSize !== config.sample.cropSize || channels !== config.sample.channels || predictor.categories.join('\n') !== config.dataset.categories.join('\n')) {
    throw new CliError(`--bundle ${dir} does not match the run (input ${cropSize}x${channels}, ${predictor.categories.length} classes vs ${config.sample.cropSize}x${config.sample.channels}, ${config.dataset.categories.length})`);
  }
  return predictor.model;
}

/** Median wall time of a single-image forward pass, after a warm-up (first calls compile kernels and allocate). */
function medianLatencyMs(model: LayersModel, sample: RunConfig['sample'], repeats: number): number {
  const input = tf.zeros([1, sample.cropSize, sample.cropSize, sample.channels]);
  try {
    const once = () => {
      const start = performance.now();
      tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync());
      return performance.now() - start;
    };
    for (let i = 0; i < 3; i++) once();
    const times = Array.from({ length: repeats }, once).sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    input.dispose();
  }
}
