// The packed bundle: a TF.js model (model.json + weights.bin) whose binarized layers are PackedConv2D, plus a
// versioned manifest.json that names the model and its classes and holds the size and SHA-256 of every file,
// so a truncated or tampered bundle is refused before any weight is read. Every field is checked, with the limits of
// io/validate.ts shared with run folders.
import {
  MAX_NAME_LENGTH,
  MAX_WEIGHT_ENTRIES,
  checkClasses,
  checkFileChecksums,
  checkInput,
  checkModelName,
  checkOptions,
  failWith,
  isObject,
  verifyChecksum,
  type FileChecksum,
} from '../io/validate.js';

export { sha256Hex } from '../io/validate.js';

export const BUNDLE_FORMAT = 'sketch-xnor-bundle';
export const BUNDLE_VERSION = 1;

export type BundleFileEntry = FileChecksum;

/** How a bundle may store its float layers. */
export const FLOAT_WEIGHTS = ['float32', 'uint8'] as const;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  /** The zoo name the run was trained with, e.g. "sketch-a-net-xnor". */
  model: string;
  /** The options it was built with (classes, inputSize, width, ...). */
  options: Record<string, unknown>;
  /** Class names in output order. */
  classes: string[];
  /** How float layers are stored: as float32, or as 8-bit with a scale. */
  floatWeights: 'float32' | 'uint8';
  /** What the packer did to each layer. */
  layers: Array<{ name: string; action: string; why?: string }>;
  /** Preprocessing the model expects, copied from the run (input size, render size, channels...). */
  input?: Record<string, unknown>;
  files: BundleFileEntry[];
  /** Where it came from: the run folder and the float model's size in bytes. */
  source?: { run?: string; floatBytes?: number };
}

export class BundleError extends Error {
  override name = 'BundleError';
}

/**
 * Checks a parsed manifest.json, every field: `where` names it in errors. That the classes count the model's outputs
 * is checked by loadBundle once the model is built.
 */
export function validateManifest(value: unknown, where: string): BundleManifest {
  const fail = failWith(BundleError, where);
  if (!isObject(value)) return fail('is not a JSON object');
  const m = value;
  if (m.format !== BUNDLE_FORMAT) fail(`format is ${JSON.stringify(m.format)}, expected "${BUNDLE_FORMAT}"`);
  if (m.version !== BUNDLE_VERSION) fail(`version ${JSON.stringify(m.version)} is not supported (this reader knows version ${BUNDLE_VERSION})`);
  checkModelName(m.model, fail);
  const classes = checkClasses(m.classes, fail);
  checkOptions(m.options, classes, fail);
  if (!FLOAT_WEIGHTS.includes(m.floatWeights as never)) fail(`floatWeights must be "float32" or "uint8", got ${JSON.stringify(m.floatWeights)}`);
  checkLayers(m.layers, fail);
  checkInput(m.input, 'input', fail);
  checkSource(m.source, fail);
  const files = checkFileChecksums(m.files, where, BundleError, fail);
  if (!files.some((f) => f.path === 'model.json')) fail('lists no model.json');
  return m as unknown as BundleManifest;
}

const isShortString = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_NAME_LENGTH;

/** The packer's report: at most MAX_WEIGHT_ENTRIES `{ name, action, why? }` of short strings. */
function checkLayers(value: unknown, fail: (why: string) => never): void {
  if (!Array.isArray(value)) return fail('layers must be an array');
  if (value.length > MAX_WEIGHT_ENTRIES) fail(`layers has ${value.length} entries, more than ${MAX_WEIGHT_ENTRIES}`);
  value.forEach((layer: unknown, i) => {
    if (!isObject(layer)) return fail(`layers[${i}] must be an object`);
    for (const key of ['name', 'action'] as const) if (!isShortString(layer[key])) fail(`layers[${i}].${key} must be a string of at most ${MAX_NAME_LENGTH} characters`);
    if (layer.why !== undefined && !(typeof layer.why === 'string' && layer.why.length <= 4 * MAX_NAME_LENGTH)) fail(`layers[${i}].why must be a short string`);
  });
}

/** Where the bundle came from: an optional run path and float model size. */
function checkSource(value: unknown, fail: (why: string) => never): void {
  if (value === undefined) return;
  if (!isObject(value)) return fail('source must be an object');
  if (value.run !== undefined && !(typeof value.run === 'string' && value.run.length <= 16 * MAX_NAME_LENGTH)) fail('source.run must be a path');
  if (value.floatBytes !== undefined && !(Number.isSafeInteger(value.floatBytes) && (value.floatBytes as number) >= 0)) {
    fail('source.floatBytes must be a non-negative integer');
  }
}

/** Reads a file's bytes, checking them against the manifest. */
export const verifiedFile = (manifest: BundleManifest, path: string, bytes: Uint8Array, where: string): Promise<Uint8Array> =>
  verifyChecksum(manifest.files, 'manifest.json', where, path, bytes, BundleError);
