// Activation maximization (Erhan et al. 2009; regularizers after Yosinski et al. 2015): gradient ascent on the input image for one unit or class, regularized so the
// result looks like strokes (ink on blank paper) rather than noise: random jitter, periodic Gaussian blur,
// an L1 penalty on ink, total variation, and clipping to [0, 1].
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { findLayer, inputShapeOf, innerModel, layerOutput } from './model-inspect.js';
import { classScoreFunction, sketchToRgba } from './saliency.js';
import { encodePng, tileGrid, upscale, upscaleFactorFor, type GridLayout, type HwcImage, type RgbaImage } from './raster.js';

export type MaximizationTarget =
  /** One channel of a layer's output (averaged over positions), e.g. `{ kind: 'unit', layer: 'relu3', channel: 7 }`. */
  | { kind: 'unit'; layer: string; channel: number }
  /** The class score (pre-softmax logit, or log-probability when the softmax is fused). */
  | { kind: 'class'; classIndex: number };

export interface MaximizationProgress {
  step: number;
  steps: number;
  /** The objective (without penalties) at this step, on the jittered image. */
  objective: number;
}

export interface MaximizeOptions {
  steps?: number;
  /** Mean absolute pixel change per step (the gradient is normalized). Default 0.05. */
  learningRate?: number;
  /** Largest random shift in pixels, per step, per axis. Default 2. */
  jitter?: number;
  /** Blur every this many steps (0 = never). Default 4. */
  blurEvery?: number;
  /** Standard deviation of the Gaussian blur in pixels. Default 0.6. */
  blurSigma?: number;
  /** Weight of the mean-ink (L1) penalty that keeps the paper blank, relative to the normalized objective gradient. Default 0.6. */
  l1?: number;
  /** Weight of the total-variation penalty (favours connected lines), same scale. Default 0.2. */
  tv?: number;
  /** Seed of the initial noise and the jitter. */
  seed?: number;
  /** Starting image (HWC, sized for the model); default: uniform noise in [0, initialNoise]. */
  initial?: HwcImage;
  /** Amplitude of the default starting noise; enough to wake ReLUs that blank paper leaves silent. Default 0.3. */
  initialNoise?: number;
  onProgress?: (progress: MaximizationProgress) => void;
  signal?: AbortSignal;
}

export interface MaximizeResult {
  target: MaximizationTarget;
  image: HwcImage;
  /** Objective on the starting image and on the result (no jitter, no penalties). */
  initialObjective: number;
  finalObjective: number;
  history: number[];
}

/** Deterministic 32-bit generator (mulberry32): reproducible jitter without a global random state. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cyclic shift along height and width (tf has no roll op). */
function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  const [, height, width] = x.shape;
  const shift = (t: tf.Tensor4D, amount: number, axis: 1 | 2, size: number): tf.Tensor4D => {
    const k = ((amount % size) + size) % size;
    if (k === 0) return t;
    const [head, tail] = tf.split(t, [size - k, k], axis);
    return tf.concat([tail!, head!], axis) as tf.Tensor4D;
  };
  return shift(shift(x, dy, 1, height), dx, 2, width);
}

function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const radius = Math.max(1, Math.ceil(2 * sigma));
  const weights = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const channels = x.shape[3];
  const kernel1d = weights.map((w) => w / total);
  const kernel = tf.tidy(() => {
    const k = tf.reshape(tf.outerProduct(tf.tensor1d(kernel1d), tf.tensor1d(kernel1d)), [2 * radius + 1, 2 * radius + 1, 1, 1]);
    return tf.tile(k, [1, 1, channels, 1]) as tf.Tensor4D;
  });
  // Reflect padding keeps ink at the border from fading into an implicit zero frame.
  const padded = tf.mirrorPad(x, [[0, 0], [radius, radius], [radius, radius], [0, 0]], 'reflect');
  const result = tf.depthwiseConv2d(padded, kernel, 1, 'valid');
  kernel.dispose();
  return result;
}

function totalVariation(x: tf.Tensor4D): tf.Scalar {
  const [, height, width] = x.shape;
  const vertical = tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, height - 1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, height - 1, -1, -1]));
  const horizontal = tf.sub(tf.slice(x, [0, 0, 1, 0], [-1, -1, width - 1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, width - 1, -1]));
  return tf.add(tf.mean(tf.abs(vertical)), tf.mean(tf.abs(horizontal)));
}

/** The scalar to maximize for a batch of one: a channel's mean activation or a class score. */
export function objectiveFunction(model: tfl.LayersModel, target: MaximizationTarget): (input: tf.Tensor4D) => tf.Scalar {
  if (target.kind === 'class') {
    const scores = classScoreFunction(model);
    return (input) => {
      const all = scores(input);
      if (target.classIndex < 0 || target.classIndex >= all.shape[1]) throw new Error(`class ${target.classIndex} is not in 0..${all.shape[1] - 1}`);
      return tf.sum(tf.slice(all, [0, target.classIndex], [1, 1]));
    };
  }
  const layer = findLayer(model, target.layer);
  const output = layerOutput(layer);
  const channels = output.shape[output.shape.length - 1]!;
  if (!Number.isInteger(target.channel) || target.channel < 0 || target.channel >= channels) {
    throw new Error(`layer "${target.layer}" has channels 0..${channels - 1}; got ${target.channel}`);
  }
  const probe = innerModel(model, [output]);
  return (input) => {
    const activation = probe.apply(input, { training: false }) as tf.Tensor;
    const rank = activation.rank;
    const begin = new Array(rank).fill(0);
    const size = new Array(rank).fill(-1);
    begin[rank - 1] = target.channel;
    size[rank - 1] = 1;
    return tf.mean(tf.slice(activation, begin, size));
  };
}

/** Gradient ascent on the input image (see MaximizeOptions for the regularizers). */
export async function maximizeActivation(model: tfl.LayersModel, target: MaximizationTarget, options: MaximizeOptions = {}): Promise<MaximizeResult> {
  const [height, width, channels] = inputShapeOf(model);
  if (height < 1 || width < 1 || channels < 1) throw new Error(`model "${model.name}" needs a fixed input size for activation maximization`);
  const steps = options.steps ?? 100;
  const learningRate = options.learningRate ?? 0.05;
  const jitter = options.jitter ?? 2;
  const blurEvery = options.blurEvery ?? 4;
  const blurSigma = options.blurSigma ?? 0.6;
  const l1 = options.l1 ?? 0.6;
  const tvWeight = options.tv ?? 0.2;
  const random = seededRandom(options.seed ?? 1);
  const objective = objectiveFunction(model, target);
  const measure = (x: tf.Tensor4D) => tf.tidy(() => objective(x).dataSync()[0]!);

  let image: tf.Tensor4D = options.initial
    ? tf.tensor4d(options.initial.data, [1, height, width, channels])
    : tf.randomUniform([1, height, width, channels], 0, options.initialNoise ?? 0.3, 'float32', options.seed ?? 1);
  const initialObjective = measure(image);
  const history: number[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      if (options.signal?.aborted) throw new Error('activation maximization aborted');
      const dy = Math.round((random() * 2 - 1) * jitter);
      const dx = Math.round((random() * 2 - 1) * jitter);
      const [next, value] = tf.tidy(() => {
        let reached = 0;
        // The objective's gradient is normalized to unit mean magnitude, so the penalty weights are relative to it.
        const objectiveGradient = tf.grad((x: tf.Tensor) => {
          const score = objective(roll(x as tf.Tensor4D, dy, dx));
          reached = score.dataSync()[0]!;
          return score;
        })(image);
        const penaltyGradient = tf.grad((x: tf.Tensor) => tf.add(tf.mul(l1, tf.mean(tf.abs(x))), tf.mul(tvWeight, totalVariation(x as tf.Tensor4D))))(image);
        const scale = tf.add(tf.mean(tf.abs(objectiveGradient)), 1e-12);
        const penaltyScale = tf.add(tf.mean(tf.abs(penaltyGradient)), 1e-12);
        const ascent = tf.sub(tf.div(objectiveGradient, scale), tf.mul(tf.div(penaltyGradient, penaltyScale), l1 + tvWeight));
        let updated = tf.clipByValue(tf.add(image, tf.mul(ascent, learningRate)), 0, 1) as tf.Tensor4D;
        if (blurEvery > 0 && step % blurEvery === 0) updated = gaussianBlur(updated, blurSigma);
        return [updated, reached] as const;
      });
      image.dispose();
      image = next;
      history.push(value);
      options.onProgress?.({ step, steps, objective: value });
      // Lets progress bars and other work run between steps.
      await tf.nextFrame();
    }
    const finalObjective = measure(image);
    return {
      target,
      image: { height, width, channels, data: image.dataSync() as Float32Array },
      initialObjective,
      finalObjective,
      history,
    };
  } finally {
    image.dispose();
  }
}

/** Maximized images side by side as sketches (ink dark on white), one tile per result. */
export function maximizedImagesGrid(results: readonly { image: HwcImage }[], options: { minTileSize?: number; columns?: number } = {}): { image: RgbaImage; layout: GridLayout } {
  if (results.length === 0) throw new Error('maximizedImagesGrid needs at least one result');
  const tiles = results.map((r) => upscale(sketchToRgba(r.image), upscaleFactorFor(r.image.width, options.minTileSize ?? 96)));
  return tileGrid(tiles, { columns: options.columns ?? Math.min(results.length, 6), gap: 6, background: [200, 200, 200] });
}

export function maximizedImagesPng(results: readonly { image: HwcImage }[], options: { minTileSize?: number; columns?: number } = {}): Uint8Array {
  return encodePng(maximizedImagesGrid(results, options).image);
}
