// The options every Sketch-A-Net variant takes, read and checked in one place.
import { getQuantizer, type QuantizerSpec } from '@sketch-xnor/binary-ops';

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
  /** Dropout rate after fc6 and fc7 (the float and BWN variants; XNOR-Net's BatchNorms replace it). */
  dropout: number;
  /**
   * Float and BWN variants: BatchNorm between each of conv2..fc7 and its ReLU (conv -> BatchNorm -> ReLU), a
   * baseline that separates what XNOR-Net's BatchNorms do from what its binarization does. The XNOR variant always
   * has its own BatchNorm blocks and ignores this. Default false (the study's network).
   */
  batchNorm: boolean;
  /**
   * The kernel quantizer of conv2..fc7, any binary-ops spec (`'dorefa'`, `{ name: 'dorefa', bits: 2 }`); null = float.
   * Defaults to the variant's: none (float), `magnitude-aware-sign` (BWN, XNOR).
   */
  kernelQuantizer?: QuantizerSpec | null;
  /** The input (activation) quantizer of conv2..fc7; null = float. Defaults: none (float, BWN), `xnor-input` (XNOR). */
  inputQuantizer?: QuantizerSpec | null;
  /**
   * 'xnor': binarized layers with binary inputs scale their output by XNOR-Net's K (mean |I| over channels, averaged
   * over the kernel window). Default null: the BatchNorm after each binary conv already rescales, as in XNOR-Net's code.
   */
  inputScale?: 'xnor' | null;
}

export const DEFAULT_OPTIONS: SketchANetOptions = { classes: 250, inputSize: 225, width: 1, channels: 1, seed: 1, dropout: 0.5, batchNorm: false };

const positiveInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Validates options against the defaults; unknown keys are an error so a typo is not silently ignored. */
export function readSketchANetOptions(model: string, raw: Record<string, unknown>): SketchANetOptions {
  const known = new Set([...Object.keys(DEFAULT_OPTIONS), 'kernelQuantizer', 'inputQuantizer', 'inputScale']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`unknown option(s) ${unknown.join(', ')} for ${model}; it takes ${[...known].join(', ')}`);
  const o = { ...DEFAULT_OPTIONS, ...stripUndefined(raw) } as SketchANetOptions;
  if (!positiveInteger(o.classes)) throw new Error(`classes must be a positive integer, got ${JSON.stringify(o.classes)}`);
  if (!positiveInteger(o.inputSize)) throw new Error(`inputSize must be a positive integer, got ${JSON.stringify(o.inputSize)}`);
  if (!positiveInteger(o.channels)) throw new Error(`channels must be a positive integer, got ${JSON.stringify(o.channels)}`);
  if (typeof o.width !== 'number' || !(o.width > 0) || o.width > 8) throw new Error(`width must be a number in (0, 8], got ${JSON.stringify(o.width)}`);
  if (!Number.isInteger(o.seed)) throw new Error(`seed must be an integer, got ${JSON.stringify(o.seed)}`);
  if (typeof o.dropout !== 'number' || o.dropout < 0 || o.dropout >= 1) throw new Error(`dropout must be in [0, 1), got ${JSON.stringify(o.dropout)}`);
  if (typeof o.batchNorm !== 'boolean') throw new Error(`batchNorm must be true or false, got ${JSON.stringify(o.batchNorm)}`);
  if (o.inputScale !== undefined && o.inputScale !== null && o.inputScale !== 'xnor') throw new Error(`inputScale must be 'xnor' or null, got ${JSON.stringify(o.inputScale)}`);
  for (const option of ['kernelQuantizer', 'inputQuantizer'] as const) {
    if (o[option] !== undefined && o[option] !== null) o[option] = readQuantizer(option, o[option]);
  }
  return o;
}

/** Checks a quantizer spec now (not at the first layer); a ready instance is kept as its config so options stay JSON. */
function readQuantizer(option: string, spec: QuantizerSpec): QuantizerSpec {
  try {
    const quantizer = getQuantizer(spec);
    return typeof spec === 'object' && spec === quantizer ? quantizer.getConfig() : spec;
  } catch (err) {
    throw new Error(`${option}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Spatial sizes (height = width) of Sketch-A-Net's feature maps for one input size. */
export interface SketchANetGeometry {
  conv1: number;
  pool1: number;
  conv2: number;
  pool2: number;
  /** What fc6's kernel covers (7 at 225). */
  pool5: number;
}

const POOL = { size: 3, stride: 2 };

/**
 * How a 3/2 max-pool treats a map of `size`: 'valid' as in the paper (exact at 225), and 'same' for a map smaller
 * than the window (1 or 2 wide, at small inputs), which then pools to one position as Caffe's ceil mode does.
 */
export function poolPaddingFor(size: number): 'valid' | 'same' {
  return size >= POOL.size ? 'valid' : 'same';
}

function pooled(size: number): number {
  return poolPaddingFor(size) === 'valid' ? Math.floor((size - POOL.size) / POOL.stride) + 1 : Math.ceil(size / POOL.stride);
}

function geometryOf(inputSize: number): SketchANetGeometry | null {
  const conv1 = Math.floor((inputSize - 15) / 3) + 1; // 15x15, stride 3, valid
  if (conv1 < POOL.size) return null;
  const pool1 = pooled(conv1);
  const conv2 = pool1 - 4; // 5x5 valid
  if (conv2 < 1) return null;
  const pool2 = pooled(conv2);
  const pool5 = pooled(pool2); // conv3..conv5 keep the size
  return { conv1, pool1, conv2, pool2, pool5 };
}

/** The smallest input Sketch-A-Net fits (45: conv2's 5x5 window needs a 5x5 map after pool1). */
export const MIN_INPUT_SIZE = (() => {
  let size = 1;
  while (!geometryOf(size)) size++;
  return size;
})();

/** Sketch-A-Net's spatial sizes for an input size, with a clear error when the input is too small. */
export function sketchANetGeometry(inputSize: number): SketchANetGeometry {
  const geometry = geometryOf(inputSize);
  if (!geometry) {
    throw new Error(
      `inputSize ${inputSize} is too small for Sketch-A-Net: the smallest input that fits is ${MIN_INPUT_SIZE} ` +
        `(conv2's 5x5 window needs a 5x5 map after conv1 15x15/3 and pool1 3/2)`,
    );
  }
  return geometry;
}
