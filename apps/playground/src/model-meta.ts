// What the page needs to know about a model before it can feed it: its name, class names and the preprocessing it
// was trained with. Read from a run folder (run.json, plus the CLI's config.json when present) or from a packed
// bundle's manifest.json. Pure functions: every check names the file and the problem.
import type { SampleOptions } from '@sketch-xnor/data';
// The models package's limits, so the page refuses what loadRun/loadBundle refuse (a 8000 px render would ask the
// worker for 256 MB of pixels per drawing).
import { MAX_CHANNELS, MAX_INPUT_SIZE, MAX_RENDER_SIZE } from '@sketch-xnor/models';

export interface InputSpec {
  /** Side the strokes are rendered at before the center crop. */
  renderSize: number;
  /** Side of the network input (the center crop). */
  cropSize: number;
  /** 1, or 3 stroke-order channels. */
  channels: number;
}

export interface ModelMeta {
  /** Zoo name, e.g. "sketch-a-net-xnor". */
  name: string;
  classes: string[];
  input: InputSpec;
}

/** A model file that cannot be used; the message names the file and what is wrong with it. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** A size within its limit, or an error naming the field and the limit. */
function checkLimit(value: number, field: string, limit: number, where: string): void {
  if (value > limit) throw new ModelLoadError(`${where}: ${field} ${value} is above the limit of ${limit} (a hostile or corrupt file?)`);
}

/** Sketch-A-Net renders at 256 for a 225 crop; other input sizes keep that ratio (as the CLI's training does). */
export function renderSizeFor(cropSize: number): number {
  return Math.round((cropSize * 256) / 225);
}

/**
 * The input a model expects: an explicit `sample`/`input` section (renderSize, cropSize, channels) wins; otherwise
 * the model options' inputSize and channels, rendered at the Sketch-A-Net ratio.
 */
export function inputSpecFrom(options: Json, explicit: unknown, where: string): InputSpec {
  const given = isObject(explicit) ? explicit : {};
  const cropSize = given.cropSize ?? given.inputSize ?? options.inputSize;
  if (!isPositiveInteger(cropSize)) throw new ModelLoadError(`${where}: options.inputSize must be a positive integer, got ${JSON.stringify(cropSize)}`);
  checkLimit(cropSize, 'input size', MAX_INPUT_SIZE, where);
  const channels = given.channels ?? options.channels ?? 1;
  if (!isPositiveInteger(channels)) throw new ModelLoadError(`${where}: channels must be a positive integer, got ${JSON.stringify(channels)}`);
  checkLimit(channels, 'channels', MAX_CHANNELS, where);
  const renderSize = given.renderSize ?? renderSizeFor(cropSize);
  if (!isPositiveInteger(renderSize) || renderSize < cropSize) {
    throw new ModelLoadError(`${where}: renderSize must be an integer >= the input size ${cropSize}, got ${JSON.stringify(renderSize)}`);
  }
  checkLimit(renderSize, 'renderSize', MAX_RENDER_SIZE, where);
  return { renderSize, cropSize, channels };
}

function checkClasses(classes: unknown, where: string, key: string): string[] {
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string')) {
    throw new ModelLoadError(`${where}: "${key}" must be a non-empty list of class names`);
  }
  return classes;
}

/** Reads a run folder's run.json (from saveRun) and, when there is one, the CLI's config.json (its `sample` section). */
export function metaFromRun(runJson: unknown, where: string, configJson?: unknown): ModelMeta {
  if (!isObject(runJson)) throw new ModelLoadError(`${where}: is not a JSON object`);
  if (typeof runJson.model !== 'string' || !runJson.model) throw new ModelLoadError(`${where}: has no "model" name`);
  if (!isObject(runJson.options)) throw new ModelLoadError(`${where}: has no "options" object`);
  const classes = checkClasses(runJson.classes, where, 'classes');
  const sample = isObject(configJson) ? configJson.sample : (runJson.sample ?? runJson.input);
  return { name: runJson.model, classes, input: inputSpecFrom(runJson.options, sample, where) };
}

/** Reads the model facts of a bundle manifest (already validated by the models package). */
export function metaFromManifest(manifest: { model: string; classes: string[]; options: Json; input?: Json }, where: string): ModelMeta {
  return { name: manifest.model, classes: checkClasses(manifest.classes, where, 'classes'), input: inputSpecFrom(manifest.options, manifest.input, where) };
}

/** The prepareTestViews options for a model: no augmentation, its render and crop sizes and channels. */
export function sampleOptionsFor(input: InputSpec): SampleOptions {
  return { renderSize: input.renderSize, cropSize: input.cropSize, channels: input.channels, augment: false };
}

/** Turns a model output into probabilities: logits go through a softmax, a distribution is kept as it is. */
export function toProbabilities(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let sum = 0;
  let inUnitRange = true;
  for (const v of out) {
    sum += v;
    if (!(v >= 0 && v <= 1)) inUnitRange = false;
  }
  if (inUnitRange && Math.abs(sum - 1) < 1e-3) return out;
  const max = out.reduce((a, b) => Math.max(a, b), -Infinity);
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.exp(out[i]! - max);
    total += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / total;
  return out;
}
