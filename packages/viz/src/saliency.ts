// Saliency: the gradient of a class score with respect to the input pixels (Simonyan et al. 2014),
// drawn over the sketch.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classScoreSource, imageTensor, innerModel } from './model-inspect.js';
import { colorAt, colormap, type ColormapName } from './colormap.js';
import { createRgba, encodePng, upscale, upscaleFactorFor, type HwcImage, type RgbaImage, type ScalarMap } from './raster.js';

/**
 * (input batch) -> class scores [batch, classes]: pre-softmax logits when the softmax is its own layer,
 * log-probabilities when it is fused into the last layer (same gradient up to the log-sum-exp term).
 */
export function classScoreFunction(model: tfl.LayersModel): (input: tf.Tensor4D) => tf.Tensor2D {
  const source = classScoreSource(model);
  const scores = innerModel(model, [source.tensor]);
  return (input) => {
    const output = scores.apply(input, { training: false }) as tf.Tensor;
    const flat = tf.reshape(output, [output.shape[0]!, -1]) as tf.Tensor2D;
    return source.isProbability ? (tf.log(tf.add(flat, 1e-12)) as tf.Tensor2D) : flat;
  };
}

export interface SaliencyOptions {
  /** The class whose score is differentiated; default: the predicted class. */
  classIndex?: number;
}

export interface Saliency extends ScalarMap {
  classIndex: number;
  /** The class score for the unmodified image. */
  score: number;
}

/** |d score / d pixel|, the maximum over input channels, for one image sized for the model. */
export function computeSaliency(model: tfl.LayersModel, image: HwcImage, options: SaliencyOptions = {}): Saliency {
  const scoreOf = classScoreFunction(model);
  return tf.tidy(() => {
    const input = imageTensor(model, image);
    const scores = scoreOf(input);
    const classCount = scores.shape[1];
    const classIndex = options.classIndex ?? (tf.argMax(scores, 1).dataSync()[0] as number);
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classCount) {
      throw new Error(`saliency: class ${classIndex} is not in 0..${classCount - 1}`);
    }
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.slice(scoreOf(x as tf.Tensor4D), [0, classIndex], [1, 1])))(input);
    const magnitude = tf.reshape(tf.max(tf.abs(gradient), -1), [image.height * image.width]);
    return {
      width: image.width,
      height: image.height,
      data: magnitude.dataSync() as Float32Array,
      classIndex,
      score: scores.dataSync()[classIndex]!,
    };
  });
}

/** A sketch for display: ink (1) dark on white paper; with 3 channels each channel darkens its own color. */
export function sketchToRgba(image: HwcImage): RgbaImage {
  const rgba = createRgba(image.width, image.height);
  for (let i = 0; i < image.width * image.height; i++) {
    for (let c = 0; c < 3; c++) {
      const ink = image.channels === 3 ? image.data[i * 3 + c]! : averageInk(image, i);
      rgba.data[i * 4 + c] = Math.round(255 * (1 - Math.min(1, Math.max(0, ink))));
    }
  }
  return rgba;
}

function averageInk(image: HwcImage, pixel: number): number {
  let sum = 0;
  for (let c = 0; c < image.channels; c++) sum += image.data[pixel * image.channels + c]!;
  return sum / image.channels;
}

/** The value at quantile q (0..1) of the finite entries. */
function quantile(values: Float32Array, q: number): number {
  const sorted = Float32Array.from(values).filter(Number.isFinite).sort();
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
}

export interface OverlayOptions {
  colormap?: ColormapName;
  /** Saliency at or above this quantile is drawn fully opaque (robust to a few extreme pixels). Default 0.99. */
  clipQuantile?: number;
  /** Upscale (nearest) until at least this many pixels wide. Default 256. */
  minSize?: number;
}

/** The sketch in gray with the saliency blended over it (opacity and color rise with saliency). */
export function saliencyOverlay(image: HwcImage, saliency: ScalarMap, options: OverlayOptions = {}): RgbaImage {
  if (image.width !== saliency.width || image.height !== saliency.height) {
    throw new Error(`saliency is ${saliency.width}x${saliency.height} but the sketch is ${image.width}x${image.height}`);
  }
  const table = colormap(options.colormap ?? 'inferno');
  const top = quantile(saliency.data, options.clipQuantile ?? 0.99) || Math.max(...saliency.data) || 1;
  const base = sketchToRgba(image);
  for (let i = 0; i < image.width * image.height; i++) {
    const strength = Math.min(1, saliency.data[i]! / top);
    const color = colorAt(table, 0.25 + 0.75 * strength);
    const alpha = 0.85 * strength;
    for (let c = 0; c < 3; c++) {
      // Lighten the paper so the sketch stays visible under the heat.
      const paper = 0.55 * base.data[i * 4 + c]! + 0.45 * 255;
      base.data[i * 4 + c] = Math.round((1 - alpha) * paper + alpha * color[c]!);
    }
  }
  return upscale(base, upscaleFactorFor(image.width, options.minSize ?? 256));
}

export function saliencyOverlayPng(image: HwcImage, saliency: ScalarMap, options: OverlayOptions = {}): Uint8Array {
  return encodePng(saliencyOverlay(image, saliency, options));
}
