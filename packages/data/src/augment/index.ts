// Seeded stroke augmentation: a registry of augmentations (the project's one plugin shape) and
// `augmentStrokes`, which runs Sketch-a-Net's recipe in a fixed order: stroke removal, deformation, rotation,
// then any extra registered ones. Each step draws from its own fork of the RNG, so switching one step off does
// not change what the others do.
import { createRegistry, type PluginConfig, type RegisterOptions } from '@sketch-xnor/registry';
import type { Rng } from '../random.js';
import type { Stroke } from '../types.js';
import type { AugmentationFactory, StrokeAugmentation } from './augmentation.js';
import type { DeformationOptions } from './deformation.js';
import { builtInAugmentations } from './list.js';
import type { RotationOptions } from './rotation.js';
import type { StrokeRemovalOptions } from './stroke-removal.js';

function isAugmentation(value: unknown): value is StrokeAugmentation {
  return typeof value === 'object' && value !== null && typeof (value as StrokeAugmentation).apply === 'function' && typeof (value as StrokeAugmentation).getConfig === 'function';
}

const augmentations = createRegistry<StrokeAugmentation>('augmentation', isAugmentation);
for (const factory of builtInAugmentations) augmentations.register(factory);

export function registerAugmentation(factory: AugmentationFactory, options?: RegisterOptions): void {
  augmentations.register(factory, options);
}

/** An augmentation from its name, a `{ name, ...options }` config, or an instance. */
export function getAugmentation(spec: string | PluginConfig | StrokeAugmentation): StrokeAugmentation {
  return augmentations.get(spec);
}

/** Registered augmentation names, sorted. */
export function listAugmentations(): string[] {
  return augmentations.list();
}

/** Which augmentations run; a built-in step is on with its defaults unless set to `false`. */
export interface AugmentOptions {
  /** `stroke-removal` (default on: alpha 1, beta 1, up to 30% of the strokes). */
  strokeRemoval?: StrokeRemovalOptions | boolean;
  /** `deformation` (default on: global 0.04, local 0.015 of the drawing's size). */
  deformation?: DeformationOptions | boolean;
  /** `rotation` (default on: +-5 degrees). */
  rotation?: RotationOptions | boolean;
  /** More registered augmentations (names or `{ name, ...options }`), run after the built-in steps in this order. */
  extra?: readonly (string | PluginConfig)[];
}

/** RNG fork keys of the built-in steps; extra step i uses EXTRA_KEY + i. */
const STEP_KEYS = { strokeRemoval: 1, deformation: 2, rotation: 3 } as const;
const EXTRA_KEY = 100;
const STEP_NAMES = { strokeRemoval: 'stroke-removal', deformation: 'deformation', rotation: 'rotation' } as const;

interface Step {
  key: number;
  augmentation: StrokeAugmentation;
}

const compiled = new WeakMap<AugmentOptions, Step[]>();

/** The steps of a set of options, built once per options object (samples reuse them). */
export function augmentationSteps(options: AugmentOptions): readonly Step[] {
  let steps = compiled.get(options);
  if (steps) return steps;
  const known = ['strokeRemoval', 'deformation', 'rotation', 'extra'];
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`augment: unknown option(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  steps = [];
  for (const step of ['strokeRemoval', 'deformation', 'rotation'] as const) {
    const setting = options[step] ?? true;
    if (setting === false) continue;
    const config = setting === true ? {} : setting;
    steps.push({ key: STEP_KEYS[step], augmentation: augmentations.get({ ...config, name: STEP_NAMES[step] }) });
  }
  (options.extra ?? []).forEach((spec, i) => steps!.push({ key: EXTRA_KEY + i, augmentation: augmentations.get(spec) }));
  compiled.set(options, steps);
  return steps;
}

/** Augmented copies of the strokes; the input is not modified. Same strokes, options and RNG state: same output. */
export function augmentStrokes(strokes: readonly Stroke[], options: AugmentOptions, rng: Rng): Stroke[] {
  let result: readonly Stroke[] = strokes;
  for (const { key, augmentation } of augmentationSteps(options)) result = augmentation.apply(result, rng.fork(key));
  return result === strokes ? [...strokes] : (result as Stroke[]);
}

/**
 * The steps that have a raster form (rotation among the built-ins) applied to a rendered square, each with the same
 * RNG fork as on strokes: a sketch with pixels only gets the same seeded draws. Same input and RNG state: same bytes.
 */
export function augmentImage(image: Float32Array, size: number, channels: number, options: AugmentOptions, rng: Rng): Float32Array {
  let result = image;
  for (const { key, augmentation } of augmentationSteps(options)) {
    if (augmentation.applyToImage) result = augmentation.applyToImage(result, size, channels, rng.fork(key));
  }
  return result;
}

export type { AugmentationFactory, StrokeAugmentation } from './augmentation.js';
export type { DeformationOptions } from './deformation.js';
export type { RotationOptions } from './rotation.js';
export type { StrokeRemovalOptions } from './stroke-removal.js';
export { strokeRemovalProbabilities } from './stroke-removal.js';
