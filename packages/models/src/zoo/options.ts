// The options every Sketch-A-Net variant takes, read and checked in one place.
import type { QuantizerSpec } from '@sketch-xnor/binary-ops';

export interface SketchANetOptions {
  /** Output classes (250 for TU-Berlin). */
  classes: number;
  /** Input height and width; spatial sizes are recomputed and fc6's kernel covers what is left. */
  inputSize: number;
  /** Channel multiplier (0.25 gives a network with a 16th of the parameters). */
  width: number;
  /** Input channels (1, or 3 for early/middle/late strokes). */
  channels: number;
  /** Seed of the He-normal initialization (deterministic models). */
  seed: number;
  /** Dropout rate after fc6 and fc7. */
  dropout: number;
  /** Override the kernel quantizer of the binarized layers (any binary-ops spec). */
  kernelQuantizer?: QuantizerSpec;
  /** Override the input (activation) quantizer of the binarized layers. */
  inputQuantizer?: QuantizerSpec;
}

export const DEFAULT_OPTIONS: SketchANetOptions = { classes: 250, inputSize: 225, width: 1, channels: 1, seed: 1, dropout: 0.5 };

const positiveInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Validates options against the defaults; unknown keys are an error so a typo is not silently ignored. */
export function readSketchANetOptions(model: string, raw: Record<string, unknown>): SketchANetOptions {
  const known = new Set([...Object.keys(DEFAULT_OPTIONS), 'kernelQuantizer', 'inputQuantizer']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`unknown option(s) ${unknown.join(', ')} for ${model}; it takes ${[...known].join(', ')}`);
  const o = { ...DEFAULT_OPTIONS, ...stripUndefined(raw) } as SketchANetOptions;
  if (!positiveInteger(o.classes)) throw new Error(`classes must be a positive integer, got ${JSON.stringify(o.classes)}`);
  if (!positiveInteger(o.inputSize)) throw new Error(`inputSize must be a positive integer, got ${JSON.stringify(o.inputSize)}`);
  if (!positiveInteger(o.channels)) throw new Error(`channels must be a positive integer, got ${JSON.stringify(o.channels)}`);
  if (typeof o.width !== 'number' || !(o.width > 0) || o.width > 8) throw new Error(`width must be a number in (0, 8], got ${JSON.stringify(o.width)}`);
  if (!Number.isInteger(o.seed)) throw new Error(`seed must be an integer, got ${JSON.stringify(o.seed)}`);
  if (typeof o.dropout !== 'number' || o.dropout < 0 || o.dropout >= 1) throw new Error(`dropout must be in [0, 1), got ${JSON.stringify(o.dropout)}`);
  return o;
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Sketch-A-Net's spatial sizes for an input size, with a clear error when the input is too small. */
export interface SketchANetGeometry {
  conv1: number;
  pool1: number;
  conv2: number;
  pool2: number;
  pool5: number;
}

function geometryOf(inputSize: number): SketchANetGeometry | null {
  const valid = (size: number, k: number, s: number) => Math.floor((size - k) / s) + 1;
  const conv1 = valid(inputSize, 15, 3);
  const pool1 = valid(conv1, 3, 2);
  const conv2 = valid(pool1, 5, 1);
  const pool2 = valid(conv2, 3, 2);
  const pool5 = valid(pool2, 3, 2);
  return conv1 >= 3 && pool1 >= 5 && conv2 >= 3 && pool2 >= 3 && pool5 >= 1 ? { conv1, pool1, conv2, pool2, pool5 } : null;
}

/** Sketch-A-Net's spatial sizes for an input size, with a clear error when the input is too small. */
export function sketchANetGeometry(inputSize: number): SketchANetGeometry {
  const geometry = geometryOf(inputSize);
  if (!geometry) {
    let smallest = inputSize + 1;
    while (!geometryOf(smallest)) smallest++;
    throw new Error(`inputSize ${inputSize} is too small for Sketch-A-Net: the smallest input that fits is ${smallest}`);
  }
  return geometry;
}
