// `sketch-xnor eval`: the trained model of a run on the run's own held-out test split, center view and 10 views.
import { isAbsolute, resolve } from 'node:path';
import { evaluate, type EvalEvent } from '@sketch-xnor/trainer';
import { selectBackend } from '../backend.js';
import { readRunConfig } from '../config.js';
import { loadRunData, testStream } from '../data-source.js';
import { CliError } from '../errors.js';
import { loadRunModel } from '../model-io.js';
import type { EvalFlags } from '../program.js';
import { formatPercent } from '../progress.js';
import { reportProblems } from '../problems.js';

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

export async function runEval(flags: EvalFlags): Promise<void> {
  const runDir = flags.run;
  const config = readRunConfig(runDir);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  await selectBackend(flags.backend);
  const model = await loadRunModel(runDir, config);
  const dataset = flags.data === undefined ? config.dataset : { ...config.dataset, path: isAbsolute(flags.data) ? flags.data : resolve(flags.data) };
  const data = await loadRunData(dataset);
  reportProblems(data.problems, log);
  if (data.test.length === 0) throw new CliError(`the test split of ${runDir}'s data is empty (${dataset.path ?? dataset.kind})`);
  const stream = testStream(data.test, config.dataset.categories, {
    sample: config.sample,
    batchSize: config.training.batchSize,
    seed: config.training.seed,
    workers: flags.workers ?? config.workers,
  });
  let metrics: EvalMetrics;
  try {
    metrics = await evaluate(model, () => stream.batches(0));
  } finally {
    await stream.close();
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ run: runDir, ...metrics })}\n`);
    return;
  }
  process.stdout.write(`${runDir}: ${config.model.name} on ${metrics.samples} held-out ${config.dataset.kind} sketches, ${config.dataset.categories.length} categories\n`);
  process.stdout.write(formatEvalReport(metrics));
}
