// Everything on one page: given loaded runs (models, metrics, evaluations) and one sketch, computes every
// figure and renders the report. The caller (the CLI) loads files; this module does no I/O.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { activationGridPng, compareActivations, computeActivations, computeBinaryInputActivations, type LayerActivation } from './activations.js';
import { maximizeActivation, maximizedImagesPng, type MaximizationTarget, type MaximizeOptions } from './activation-maximization.js';
import { confusionMatrix, confusionMatrixSvg, perClassAccuracy, perClassAccuracySvg, topConfusions } from './confusion.js';
import type { MetricEvent } from './metrics.js';
import { trainingCurvesSvg } from './metrics.js';
import { convActivationSites, fitImageToModel, imageTensor } from './model-inspect.js';
import { encodePng, upscale, upscaleFactorFor, type HwcImage } from './raster.js';
import { renderReport, type RenderedReport, type ReportFigure, type ReportRun, type ReportSection, type ReportTable } from './report.js';
import { classScoreFunction, computeSaliency, saliencyOverlayPng, sketchToRgba } from './saliency.js';
import { filterGridPng, kernelWeights, signFlips, signFlipsSvg, weightHistogramsSvg, type LayerWeights } from './weights.js';

export interface VizRun {
  /** Short name used in legends, captions and file names, e.g. "vanilla", "bwn", "xnor". */
  label: string;
  model: tfl.LayersModel;
  path?: string;
  config?: unknown;
  /** The run's metrics.jsonl events (parseMetricsJsonl). */
  events?: readonly MetricEvent[];
  /** Class names in output order. */
  categories?: readonly string[];
  /** Test-set labels and predicted classes, for the confusion matrix. */
  evaluation?: { labels: ArrayLike<number>; predictions: ArrayLike<number> };
  /** Kernels of an earlier checkpoint (kernelWeights of it), for the sign-flip chart. */
  earlierWeights?: { label: string; weights: LayerWeights[] };
}

export interface VizProgress {
  stage: string;
  /** Finished work items of this stage (optimization steps for activation maximization). */
  done: number;
  total: number;
}

export interface VizReportOptions {
  /** The sketch every image figure is about (HWC, ink = 1); resized per model when needed. */
  sketch: HwcImage;
  /** Shown in captions, e.g. the sketch's file name. */
  sketchName?: string;
  /** The sketch's true class index, if known (its saliency is shown too). */
  sketchClass?: number;
  title?: string;
  /** Activation maximization (the slow part: each step is a forward and backward pass): per run, images for
   * the `classes` (default 2) top predicted classes and the `units` (default 2) most active channels of the
   * deepest convolution with a spatial map, `steps` (default 32) steps each. `false` skips it. */
  maximization?: false | (Pick<MaximizeOptions, 'steps' | 'learningRate' | 'jitter' | 'blurEvery' | 'blurSigma' | 'l1' | 'tv' | 'seed'> & { classes?: number; units?: number });
  topConfusions?: number;
  onProgress?: (progress: VizProgress) => void;
  signal?: AbortSignal;
  generatedAt?: string;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'run';

function className(run: VizRun, index: number): string {
  return run.categories?.[index] ?? `class ${index}`;
}

/** Class probabilities for one image (softmax of the class scores). */
export function predictProbabilities(model: tfl.LayersModel, image: HwcImage): Float32Array {
  const scores = classScoreFunction(model);
  return tf.tidy(() => tf.softmax(scores(imageTensor(model, image))).dataSync() as Float32Array);
}

function topIndices(values: ArrayLike<number>, k: number): number[] {
  return Array.from(values, (v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, k).map(([, i]) => i);
}

function lastEval(events: readonly MetricEvent[] | undefined): Record<string, string | number> {
  const evaluation = [...(events ?? [])].reverse().find((e) => e.type === 'eval' && (e.split ?? 'test') === 'test');
  if (!evaluation) return {};
  const summary: Record<string, string | number> = {};
  for (const key of ['epoch', 'top1', 'top5', 'top1TenView', 'top5TenView', 'loss']) {
    if (typeof evaluation[key] === 'number') summary[`test ${key}`] = evaluation[key] as number;
  }
  return summary;
}

function uniqueLabels(runs: readonly VizRun[]): string[] {
  const used = new Map<string, number>();
  return runs.map((run) => {
    const base = slug(run.label);
    const count = used.get(base) ?? 0;
    used.set(base, count + 1);
    return count === 0 ? base : `${base}-${count + 1}`;
  });
}

/** Computes every figure for the runs and renders the report (see writeReport to save it). */
export async function buildVizReport(runs: readonly VizRun[], options: VizReportOptions): Promise<RenderedReport> {
  if (runs.length === 0) throw new Error('buildVizReport needs at least one run');
  const progress = (stage: string, done: number, total: number) => options.onProgress?.({ stage, done, total });
  const slugs = uniqueLabels(runs);
  const sketches = runs.map((run) => fitImageToModel(run.model, options.sketch));
  const sketchName = options.sketchName ?? 'the sketch';
  const sections: ReportSection[] = [];

  // Training curves
  const withEvents = runs.filter((run) => run.events && run.events.some((e) => e.type === 'step' || e.type === 'eval'));
  if (withEvents.length > 0) {
    progress('training curves', 0, 1);
    const svg = await trainingCurvesSvg(withEvents.map((run) => ({ label: run.label, events: run.events! })));
    sections.push({
      title: 'Training curves',
      description: 'Solid/dashed by split; train series are averaged over consecutive steps.',
      figures: [{ file: 'training-curves.svg', title: 'Loss, accuracy and learning rate', content: svg }],
    });
    progress('training curves', 1, 1);
  }

  // Predictions on the sketch
  progress('predictions', 0, runs.length);
  const probabilities = runs.map((run, i) => predictProbabilities(run.model, sketches[i]!));
  const predictionTable: ReportTable = {
    title: `Top-5 predictions for ${sketchName}`,
    columns: ['run', ...[1, 2, 3, 4, 5].map((k) => `#${k}`)],
    rows: runs.map((run, i) => [run.label, ...topIndices(probabilities[i]!, 5).map((c) => `${className(run, c)} (${(100 * probabilities[i]![c]!).toFixed(1)}%)`)]),
  };
  const sketchPng = encodePng(upscale(sketchToRgba(sketches[0]!), upscaleFactorFor(sketches[0]!.width, 225)));
  sections.push({
    title: 'The sketch',
    figures: [{ file: 'sketch.png', title: sketchName, caption: 'As the first model sees it (ink dark).', content: sketchPng }],
    tables: [predictionTable],
  });
  progress('predictions', runs.length, runs.length);

  // Activation maps
  progress('activation maps', 0, runs.length);
  const activations: LayerActivation[][] = runs.map((run, i) => computeActivations(run.model, sketches[i]!));
  const activationFigures: ReportFigure[] = [];
  const depths = new Set(activations.map((a) => a.length));
  if (runs.length > 1 && depths.size === 1) {
    for (const comparison of compareActivations(runs.map((run, i) => ({ label: run.label, layers: activations[i]! })))) {
      activationFigures.push({
        file: `activations-conv${comparison.index + 1}.png`,
        title: `Convolution ${comparison.index + 1}: ${runs.map((r) => r.label).join(' | ')}`,
        caption: `Left to right: ${runs.map((r, i) => `${r.label} (${comparison.layers[i]})`).join(', ')}. One tile per channel, each normalized to its own range.`,
        content: comparison.png,
      });
    }
  } else {
    runs.forEach((run, r) => activations[r]!.forEach((maps, index) => activationFigures.push({
      file: `${slugs[r]}-activations-conv${index + 1}.png`,
      title: `${run.label}: convolution ${index + 1} (${maps.layer})`,
      caption: `${maps.channels} channels, ${maps.height}x${maps.width}, each normalized to its own range.`,
      content: activationGridPng(maps),
    })));
  }
  runs.forEach((run, r) => computeBinaryInputActivations(run.model, sketches[r]!).forEach((maps) => activationFigures.push({
    file: `${slugs[r]}-binary-input-${slug(maps.layer)}.png`,
    title: `${run.label}: binary input of ${maps.layer}`,
    caption: 'The signs this XNOR layer multiplies (white = +1, black = -1).',
    content: activationGridPng(maps),
  })));
  sections.push({
    title: 'Activation maps',
    description: `ReLU (or binary) activations of every convolution for ${sketchName}, viridis colormap (dark = low, yellow = high).`,
    figures: activationFigures,
  });
  progress('activation maps', runs.length, runs.length);

  // Saliency
  const saliencyFigures: ReportFigure[] = [];
  runs.forEach((run, r) => {
    const predicted = topIndices(probabilities[r]!, 1)[0]!;
    const classes = options.sketchClass !== undefined && options.sketchClass !== predicted ? [predicted, options.sketchClass] : [predicted];
    for (const classIndex of classes) {
      const saliency = computeSaliency(run.model, sketches[r]!, { classIndex });
      saliencyFigures.push({
        file: `${slugs[r]}-saliency-class${classIndex}.png`,
        title: `${run.label}: saliency for "${className(run, classIndex)}"${classIndex === predicted ? ' (predicted)' : ' (true class)'}`,
        caption: '|d class score / d pixel| over the sketch; brighter = more influence.',
        content: saliencyOverlayPng(sketches[r]!, saliency),
      });
    }
  });
  sections.push({ title: 'Saliency', figures: saliencyFigures });

  // Activation maximization
  if (options.maximization !== false) {
    const settings = options.maximization ?? {};
    const plans = runs.map((run, r) => {
      const classes: MaximizationTarget[] = topIndices(probabilities[r]!, settings.classes ?? 2).map((classIndex) => ({ kind: 'class', classIndex }));
      // Units of the deepest convolution that still has a spatial map (1x1 maps at the top are class scores).
      const last = [...activations[r]!].reverse().find((maps) => maps.height * maps.width > 1) ?? activations[r]!.at(-1)!;
      const meanPerChannel = Array.from({ length: last.channels }, (_, c) => {
        let sum = 0;
        for (let p = c; p < last.data.length; p += last.channels) sum += last.data[p]!;
        return sum;
      });
      const units: MaximizationTarget[] = topIndices(meanPerChannel, settings.units ?? 2).map((channel) => ({ kind: 'unit', layer: last.layer, channel }));
      return { classes, units, unitLayer: last.layer };
    });
    const steps = settings.steps ?? 32;
    const total = plans.reduce((sum, plan) => sum + (plan.classes.length + plan.units.length) * steps, 0);
    let done = 0;
    progress('activation maximization', 0, total);
    const figures: ReportFigure[] = [];
    for (const [r, run] of runs.entries()) {
      for (const [kind, targets] of [['classes', plans[r]!.classes], ['units', plans[r]!.units]] as const) {
        if (targets.length === 0) continue;
        const results = [];
        for (const target of targets) {
          const before = done;
          results.push(await maximizeActivation(run.model, target, {
            ...settings, steps, signal: options.signal,
            onProgress: (p) => { done = before + p.step; progress('activation maximization', done, total); },
          }));
        }
        const describe = (t: MaximizationTarget) => (t.kind === 'class' ? `"${className(run, t.classIndex)}"` : `${t.layer}#${t.channel}`);
        figures.push({
          file: `${slugs[r]}-maximized-${kind}.png`,
          title: `${run.label}: images that maximize ${kind === 'classes' ? 'the top predicted classes' : `the most active units of ${plans[r]!.unitLayer}`}`,
          caption: `Left to right: ${results.map((res) => `${describe(res.target)} (${res.initialObjective.toFixed(2)} → ${res.finalObjective.toFixed(2)})`).join(', ')}.`,
          content: maximizedImagesPng(results),
        });
      }
    }
    sections.push({
      title: 'Activation maximization',
      description: `Gradient ascent on the input from noise (${steps} steps, jitter, blur, ink and total-variation penalties, clipped to [0, 1]). Numbers: objective before → after.`,
      figures,
    });
  }

  // Weights
  const weightFigures: ReportFigure[] = [];
  for (const [r, run] of runs.entries()) {
    const kernels = kernelWeights(run.model);
    const firstConv = convActivationSites(run.model)[0]?.conv.name;
    const first = kernels.find((k) => k.layer === firstConv);
    if (first) {
      weightFigures.push({
        file: `${slugs[r]}-filters-${slug(first.layer)}.png`,
        title: `${run.label}: first-layer filters (${first.layer})`,
        caption: `${first.shape.join('x')} latent weights; red positive, blue negative, each filter scaled to its own largest magnitude.`,
        content: filterGridPng(first),
      });
      if (first.binarized) {
        weightFigures.push({
          file: `${slugs[r]}-filters-${slug(first.layer)}-binarized.png`,
          title: `${run.label}: the same filters binarized (sign)`,
          caption: 'What the forward pass uses, up to the per-filter scale: red +1, blue -1.',
          content: filterGridPng(first, { binarize: true }),
        });
      }
    }
    const binarized = kernels.filter((k) => k.binarized);
    const shown = binarized.length > 0 ? binarized : kernels;
    if (shown.length > 0) {
      weightFigures.push({
        file: `${slugs[r]}-weight-histograms.svg`,
        title: `${run.label}: ${binarized.length > 0 ? 'latent weights of the binarized layers' : 'weights (no binarized layers)'}`,
        content: await weightHistogramsSvg(shown),
      });
    }
    if (run.earlierWeights) {
      const latest = binarized.length > 0 ? binarized : kernels;
      weightFigures.push({
        file: `${slugs[r]}-sign-flips.svg`,
        title: `${run.label}: signs flipped since ${run.earlierWeights.label}`,
        content: await signFlipsSvg(signFlips(run.earlierWeights.weights, latest), `Share of weights whose sign flipped since ${run.earlierWeights.label}`),
      });
    }
  }
  sections.push({ title: 'Weights', figures: weightFigures });

  // Evaluation
  const evaluationFigures: ReportFigure[] = [];
  const evaluationTables: ReportTable[] = [];
  for (const [r, run] of runs.entries()) {
    if (!run.evaluation) continue;
    progress('confusion matrix', 0, 1);
    const classCount = run.categories?.length ?? run.model.outputs[0]!.shape.at(-1)!;
    const names = Array.from({ length: classCount }, (_, i) => className(run, i));
    const matrix = confusionMatrix(run.evaluation.labels, run.evaluation.predictions, classCount);
    evaluationFigures.push({ file: `${slugs[r]}-confusion.svg`, title: `${run.label}: confusion matrix`, content: await confusionMatrixSvg(matrix, names) });
    evaluationFigures.push({ file: `${slugs[r]}-per-class-accuracy.svg`, title: `${run.label}: per-class accuracy`, content: await perClassAccuracySvg(matrix, names) });
    const accuracy = perClassAccuracy(matrix);
    evaluationTables.push({
      title: `${run.label}: top confusions`,
      columns: ['true class', 'predicted as', 'count', 'share of true class', 'true class accuracy'],
      rows: topConfusions(matrix, options.topConfusions ?? 20).map((c) => [names[c.actual]!, names[c.predicted]!, c.count, c.rate, accuracy[c.actual]!]),
    });
    progress('confusion matrix', 1, 1);
  }
  sections.push({ title: 'Evaluation', figures: evaluationFigures, tables: evaluationTables });

  const reportRuns: ReportRun[] = runs.map((run) => ({
    label: run.label,
    path: run.path,
    config: run.config,
    summary: { parameters: run.model.countParams(), ...lastEval(run.events) },
  }));
  return renderReport({
    title: options.title ?? (runs.length > 1 ? `Comparing ${runs.map((r) => r.label).join(', ')}` : `Run ${runs[0]!.label}`),
    runs: reportRuns,
    sections,
    generatedAt: options.generatedAt,
  });
}
