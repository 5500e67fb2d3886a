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
import { renderReport, type RenderedReport, type ReportFigure, type ReportSection, type ReportTable } from './report.js';
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
  /** Steps trained before this run's own (by the run it was initialized from): its curves start there. */
  stepOffset?: number;
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

/** One run with what every section needs: its file-name slug, the sketch sized for it, its outputs on it. */
interface RunContext {
  run: VizRun;
  slug: string;
  sketch: HwcImage;
  probabilities: Float32Array;
  activations: LayerActivation[];
}

type Progress = (stage: string, done: number, total: number) => void;

async function curvesSection(contexts: readonly RunContext[]): Promise<ReportSection | undefined> {
  const runs = contexts.map((c) => c.run).filter((run) => run.events?.some((e) => e.type === 'step' || e.type === 'eval'));
  if (runs.length === 0) return undefined;
  const svg = await trainingCurvesSvg(runs.map((run) => ({ label: run.label, events: run.events!, ...(run.stepOffset !== undefined && { stepOffset: run.stepOffset }) })));
  return {
    title: 'Training curves',
    description:
      'Color by run, dash by split; train series are averaged over consecutive steps. A run initialized from another ' +
      "run's weights starts at the step where that run ended (equal total training).",
    figures: [{ file: 'training-curves.svg', title: 'Loss, accuracy and learning rate', content: svg }],
  };
}

function sketchSection(contexts: readonly RunContext[], sketchName: string): ReportSection {
  const first = contexts[0]!.sketch;
  return {
    title: 'The sketch',
    figures: [{
      file: 'sketch.png', title: sketchName, caption: 'As the first model sees it (ink dark).',
      content: encodePng(upscale(sketchToRgba(first), upscaleFactorFor(first.width, 225))),
    }],
    tables: [{
      title: `Top-5 predictions for ${sketchName}`,
      columns: ['run', ...[1, 2, 3, 4, 5].map((k) => `#${k}`)],
      rows: contexts.map(({ run, probabilities }) => [
        run.label, ...topIndices(probabilities, 5).map((c) => `${className(run, c)} (${(100 * probabilities[c]!).toFixed(1)}%)`),
      ]),
    }],
  };
}

const normalizationNote = 'One tile per channel, each normalized to its own range (1x1 maps share the layer\'s range).';

function activationSection(contexts: readonly RunContext[], sketchName: string): ReportSection {
  const figures: ReportFigure[] = [];
  const comparable = contexts.length > 1 && new Set(contexts.map((c) => c.activations.length)).size === 1;
  if (comparable) {
    for (const comparison of compareActivations(contexts.map((c) => ({ label: c.run.label, layers: c.activations })))) {
      figures.push({
        file: `activations-conv${comparison.index + 1}.png`,
        title: `Convolution ${comparison.index + 1}: ${contexts.map((c) => c.run.label).join(' | ')}`,
        caption: `Left to right: ${contexts.map((c, i) => `${c.run.label} (${comparison.layers[i]})`).join(', ')}. ${normalizationNote}`,
        content: comparison.png,
      });
    }
  } else {
    for (const { run, slug: name, activations } of contexts) {
      activations.forEach((maps, index) => figures.push({
        file: `${name}-activations-conv${index + 1}.png`,
        title: `${run.label}: convolution ${index + 1} (${maps.layer})`,
        caption: `${maps.channels} channels, ${maps.height}x${maps.width}. ${normalizationNote}`,
        content: activationGridPng(maps),
      }));
    }
  }
  for (const { run, slug: name, sketch } of contexts) {
    for (const maps of computeBinaryInputActivations(run.model, sketch)) {
      figures.push({
        file: `${name}-binary-input-${slug(maps.layer)}.png`,
        title: `${run.label}: binary input of ${maps.layer}`,
        caption: 'What this XNOR layer multiplies: its input through its input quantizer (white = +1, black = -1).',
        content: activationGridPng(maps),
      });
    }
  }
  return {
    title: 'Activation maps',
    description: `ReLU (or binary) activations of every convolution for ${sketchName}, viridis colormap (dark = low, yellow = high).`,
    figures,
  };
}

function saliencySection(contexts: readonly RunContext[], sketchClass: number | undefined): ReportSection {
  const figures: ReportFigure[] = [];
  for (const { run, slug: name, sketch, probabilities } of contexts) {
    const predicted = topIndices(probabilities, 1)[0]!;
    const classes = sketchClass !== undefined && sketchClass !== predicted ? [predicted, sketchClass] : [predicted];
    for (const classIndex of classes) {
      figures.push({
        file: `${name}-saliency-class${classIndex}.png`,
        title: `${run.label}: saliency for "${className(run, classIndex)}"${classIndex === predicted ? ' (predicted)' : ' (true class)'}`,
        caption: '|d class score / d pixel| over the sketch; brighter = more influence.',
        content: saliencyOverlayPng(sketch, computeSaliency(run.model, sketch, { classIndex })),
      });
    }
  }
  return { title: 'Saliency', figures };
}

type MaximizationSettings = Exclude<VizReportOptions['maximization'], false | undefined>;

/** What to optimize images for: the top predicted classes and the most active units of the deepest spatial convolution. */
function maximizationPlan(context: RunContext, settings: MaximizationSettings) {
  const classes: MaximizationTarget[] = topIndices(context.probabilities, settings.classes ?? 2).map((classIndex) => ({ kind: 'class', classIndex }));
  // 1x1 maps at the top of a fully convolutional net are class scores, already covered by the classes.
  const maps = [...context.activations].reverse().find((m) => m.height * m.width > 1) ?? context.activations.at(-1)!;
  const activity = Array.from({ length: maps.channels }, (_, c) => {
    let sum = 0;
    for (let p = c; p < maps.data.length; p += maps.channels) sum += maps.data[p]!;
    return sum;
  });
  const units: MaximizationTarget[] = topIndices(activity, settings.units ?? 2).map((channel) => ({ kind: 'unit', layer: maps.layer, channel }));
  return [
    { kind: 'classes', subject: 'the top predicted classes', targets: classes },
    { kind: 'units', subject: `the most active units of ${maps.layer}`, targets: units },
  ].filter((group) => group.targets.length > 0);
}

async function maximizationSection(contexts: readonly RunContext[], settings: MaximizationSettings, progress: Progress, signal?: AbortSignal): Promise<ReportSection> {
  const steps = settings.steps ?? 32;
  const plans = contexts.map((context) => maximizationPlan(context, settings));
  const total = plans.flat().reduce((sum, group) => sum + group.targets.length * steps, 0);
  let done = 0;
  progress('activation maximization', 0, total);
  const figures: ReportFigure[] = [];
  for (const [r, { run, slug: name }] of contexts.entries()) {
    for (const group of plans[r]!) {
      const results = [];
      for (const target of group.targets) {
        const before = done;
        results.push(await maximizeActivation(run.model, target, {
          ...settings, steps, signal,
          onProgress: (p) => { done = before + p.step; progress('activation maximization', done, total); },
        }));
      }
      const describe = (t: MaximizationTarget) => (t.kind === 'class' ? `"${className(run, t.classIndex)}"` : `${t.layer}#${t.channel}`);
      figures.push({
        file: `${name}-maximized-${group.kind}.png`,
        title: `${run.label}: images that maximize ${group.subject}`,
        caption: `Left to right: ${results.map((res) => `${describe(res.target)} (${res.initialObjective.toFixed(2)} → ${res.finalObjective.toFixed(2)})`).join(', ')}.`,
        content: maximizedImagesPng(results),
      });
    }
  }
  return {
    title: 'Activation maximization',
    description: `Gradient ascent on the input from noise (${steps} steps, jitter, blur, ink and total-variation penalties, clipped to [0, 1]). Numbers: objective before → after.`,
    figures,
  };
}

async function weightsSection(contexts: readonly RunContext[]): Promise<ReportSection> {
  const figures: ReportFigure[] = [];
  for (const { run, slug: name } of contexts) {
    const kernels = kernelWeights(run.model);
    const firstConv = convActivationSites(run.model)[0]?.conv.name;
    const first = kernels.find((k) => k.layer === firstConv);
    if (first) {
      figures.push({
        file: `${name}-filters-${slug(first.layer)}.png`,
        title: `${run.label}: first-layer filters (${first.layer})`,
        caption: `${first.shape.join('x')} latent weights; red positive, blue negative, each filter scaled to its own largest magnitude.`,
        content: filterGridPng(first),
      });
      if (first.binarized) {
        figures.push({
          file: `${name}-filters-${slug(first.layer)}-binarized.png`,
          title: `${run.label}: the same filters binarized (sign)`,
          caption: 'What the forward pass uses, up to the per-filter scale: red +1, blue -1.',
          content: filterGridPng(first, { binarize: true }),
        });
      }
    }
    const binarized = kernels.filter((k) => k.binarized);
    const shown = binarized.length > 0 ? binarized : kernels;
    if (shown.length === 0) continue;
    figures.push({
      file: `${name}-weight-histograms.svg`,
      title: `${run.label}: ${binarized.length > 0 ? 'latent weights of the binarized layers' : 'weights (no binarized layers)'}`,
      content: await weightHistogramsSvg(shown),
    });
    if (run.earlierWeights) {
      figures.push({
        file: `${name}-sign-flips.svg`,
        title: `${run.label}: signs flipped since ${run.earlierWeights.label}`,
        content: await signFlipsSvg(signFlips(run.earlierWeights.weights, shown), `Share of weights whose sign flipped since ${run.earlierWeights.label}`),
      });
    }
  }
  return { title: 'Weights', figures };
}

async function evaluationSection(contexts: readonly RunContext[], limit: number, progress: Progress): Promise<ReportSection> {
  const figures: ReportFigure[] = [];
  const tables: ReportTable[] = [];
  const evaluated = contexts.filter((c) => c.run.evaluation);
  for (const [index, { run, slug: name }] of evaluated.entries()) {
    progress('confusion matrices', index, evaluated.length);
    const classCount = run.categories?.length ?? run.model.outputs[0]!.shape.at(-1)!;
    const names = Array.from({ length: classCount }, (_, i) => className(run, i));
    const matrix = confusionMatrix(run.evaluation!.labels, run.evaluation!.predictions, classCount);
    figures.push({ file: `${name}-confusion.svg`, title: `${run.label}: confusion matrix`, content: await confusionMatrixSvg(matrix, names) });
    figures.push({ file: `${name}-per-class-accuracy.svg`, title: `${run.label}: per-class accuracy`, content: await perClassAccuracySvg(matrix, names) });
    const accuracy = perClassAccuracy(matrix);
    tables.push({
      title: `${run.label}: top confusions`,
      columns: ['true class', 'predicted as', 'count', 'share of true class', 'true class accuracy'],
      rows: topConfusions(matrix, limit).map((c) => [names[c.actual]!, names[c.predicted]!, c.count, c.rate, accuracy[c.actual]!]),
    });
  }
  if (evaluated.length > 0) progress('confusion matrices', evaluated.length, evaluated.length);
  return { title: 'Evaluation', figures, tables };
}

/** Computes every figure for the runs and renders the report (see writeReport to save it). */
export async function buildVizReport(runs: readonly VizRun[], options: VizReportOptions): Promise<RenderedReport> {
  if (runs.length === 0) throw new Error('buildVizReport needs at least one run');
  const progress: Progress = (stage, done, total) => options.onProgress?.({ stage, done, total });
  const sketchName = options.sketchName ?? 'the sketch';
  const slugs = uniqueLabels(runs);
  progress('activation maps', 0, runs.length);
  const contexts: RunContext[] = runs.map((run, i) => {
    const sketch = fitImageToModel(run.model, options.sketch);
    const context = { run, slug: slugs[i]!, sketch, probabilities: predictProbabilities(run.model, sketch), activations: computeActivations(run.model, sketch) };
    progress('activation maps', i + 1, runs.length);
    return context;
  });
  const sections: ReportSection[] = [];
  const curves = await curvesSection(contexts);
  if (curves) sections.push(curves);
  sections.push(sketchSection(contexts, sketchName), activationSection(contexts, sketchName), saliencySection(contexts, options.sketchClass));
  if (options.maximization !== false) sections.push(await maximizationSection(contexts, options.maximization ?? {}, progress, options.signal));
  sections.push(await weightsSection(contexts), await evaluationSection(contexts, options.topConfusions ?? 20, progress));
  return renderReport({
    title: options.title ?? (runs.length > 1 ? `Comparing ${runs.map((r) => r.label).join(', ')}` : `Run ${runs[0]!.label}`),
    runs: runs.map((run) => ({ label: run.label, path: run.path, config: run.config, summary: { parameters: run.model.countParams(), ...lastEval(run.events) } })),
    sections,
    generatedAt: options.generatedAt,
  });
}
