// Reading TF.js's own model format (model.json + weight shards) from anywhere files come from: a folder (Node), a
// URL (browsers, or Node's fetch) or files a person picked. Every file name is checked to stay inside the folder or
// URL, every shard against the sizes model.json lists (and the checksums run.json records) and every float weight
// for NaN and Infinity before TF.js sees it, so a truncated, corrupt or missing file is named rather than misread.
// Browser-safe.
import * as tf from '@tensorflow/tfjs-core';
import { MAX_MODEL_FILES, MAX_WEIGHT_ENTRIES, checkFileName, failWith, isObject, verifyChecksum, type FileChecksum, type FileErrorClass } from './validate.js';
import { checkTopologyAgainstWeights } from './topology.js';

export type { FileErrorClass } from './validate.js';

/** A missing, truncated or malformed model file; the message names the file and what is wrong. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/** Where a model's files come from. */
export interface ModelSource {
  /** Names the folder or URL in errors. */
  readonly where: string;
  /** The bytes of a file, by its plain name in the model's folder (e.g. "model.json"); other names are refused. */
  read(path: string): Promise<Uint8Array>;
}

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Whether a location is an http(s) URL rather than a folder. */
export const isHttpUrl = (where: string): boolean => /^https?:\/\//i.test(where);

/** Files under a URL, fetched (browsers, or Node 18+). */
export function urlSource(base: string, ErrorClass: FileErrorClass = ModelFileError): ModelSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    where: root.replace(/\/$/, ''),
    async read(path) {
      checkFileName(path, root.replace(/\/$/, ''), ErrorClass);
      const url = new URL(path, new URL(root, globalThis.location?.href ?? undefined));
      let response: Response;
      try {
        response = await fetch(url);
      } catch (err) {
        throw new ErrorClass(`${root}${path}: cannot be fetched (${err instanceof Error ? err.message : String(err)})`, { cause: err });
      }
      if (!response.ok) throw new ErrorClass(`${root}${path}: HTTP ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** Files a person picked (a File list), by name. */
export function filesSource(files: ArrayLike<Blob & { name: string }>, ErrorClass: FileErrorClass = ModelFileError): ModelSource {
  const byName = new Map(Array.from(files, (f) => [f.name, f] as const));
  return {
    where: 'the chosen files',
    async read(path) {
      checkFileName(path, 'the chosen files', ErrorClass);
      const file = byName.get(path);
      if (!file) throw new ErrorClass(`the chosen files have no ${path}`);
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

/** Chunks joined into one buffer. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return joined;
}

/** Parses a JSON file's bytes; the error names the file and suggests truncation. */
export function parseJsonFile<T>(bytes: Uint8Array, file: string, ErrorClass: FileErrorClass = ModelFileError): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ErrorClass(`${file}: not valid JSON (${why})${bytes.byteLength ? '; the file may be truncated' : '; the file is empty'}`, { cause: err });
  }
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes a weight takes in a shard, as TF.js encodes it (quantized weights take their storage dtype). */
export function weightBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  return count * (BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

const KNOWN_DTYPES = new Set(Object.keys(BYTES_PER_ELEMENT));

/** What model.json must hold for its weights to be read: groups of plain file names and well-formed weight entries. */
export function checkWeightsManifest(value: unknown, modelPath: string, ErrorClass: FileErrorClass): tf.io.WeightsManifestConfig {
  const fail = failWith(ErrorClass, modelPath);
  if (!Array.isArray(value)) return fail('not a TF.js layers model (no modelTopology or weightsManifest)');
  let files = 0;
  let entries = 0;
  value.forEach((group: unknown, g) => {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(`weightsManifest[${g}] must have "paths" and "weights" lists`);
    const { paths, weights } = group as { paths: unknown[]; weights: unknown[] };
    files += paths.length;
    entries += weights.length;
    if (files > MAX_MODEL_FILES) fail(`names more than ${MAX_MODEL_FILES} weight files`);
    if (entries > MAX_WEIGHT_ENTRIES) fail(`lists more than ${MAX_WEIGHT_ENTRIES} weights`);
    for (const path of paths) checkFileName(path, modelPath, ErrorClass, 'weight file');
    weights.forEach((spec: unknown, w) => checkWeightEntry(spec, `weightsManifest[${g}].weights[${w}]`, fail));
  });
  return value as tf.io.WeightsManifestConfig;
}

function checkWeightEntry(spec: unknown, field: string, fail: (why: string) => never): void {
  if (!isObject(spec) || typeof spec.name !== 'string') return fail(`${field} has no name`);
  const what = `weight ${JSON.stringify(spec.name)}`;
  if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${what}: shape must be a list of non-negative integers`);
  if (!Number.isSafeInteger((spec.shape as number[]).reduce((a, b) => a * b, 1))) fail(`${what}: shape [${spec.shape}] is too large`);
  const stored = isObject(spec.quantization) ? spec.quantization.dtype : spec.dtype;
  if (typeof spec.dtype !== 'string' || !KNOWN_DTYPES.has(spec.dtype) || typeof stored !== 'string' || !KNOWN_DTYPES.has(stored)) {
    fail(`${what}: unknown dtype ${JSON.stringify(stored)}`);
  }
  if (spec.quantization !== undefined) {
    const q = spec.quantization as Record<string, unknown>;
    for (const key of ['min', 'scale'] as const) {
      if (q[key] !== undefined && !Number.isFinite(q[key])) fail(`${what}: quantization.${key} must be a finite number`);
    }
  }
}

/** A file's bytes with its name, as read for a group of weights. */
export interface NamedBytes {
  path: string;
  bytes: Uint8Array;
}

/**
 * Refuses NaN and Infinity in float32 weights (corruption, or a diverged training saved): a model that loads them
 * predicts garbage without a word. `shards` are the files the weights were read from, in order.
 */
export function checkFiniteWeights(specs: readonly tf.io.WeightsManifestEntry[], shards: readonly NamedBytes[], where: string, ErrorClass: FileErrorClass): void {
  const data = concatBytes(shards.map((s) => s.bytes));
  const fileAt = (offset: number) => {
    let end = 0;
    for (const shard of shards) if ((end += shard.bytes.byteLength) > offset) return shard.path;
    return shards.at(-1)?.path ?? '';
  };
  let offset = 0;
  for (const spec of specs) {
    const bytes = weightBytes(spec);
    if (spec.dtype === 'float32' && !spec.quantization) {
      const values = new Float32Array(data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + bytes));
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new ErrorClass(
          `${where}/${fileAt(offset + bad * 4)}: weight ${spec.name} holds ${values[bad]} at element ${bad}; ` +
            'the file is corrupt, or the model diverged before it was saved',
        );
      }
    }
    offset += bytes;
  }
}

/** The checksums a run (run.json) records for its model files, to check them on load. */
export interface ExpectedFiles {
  files: readonly FileChecksum[];
  /** The file that records them, e.g. "run.json". */
  listedIn: string;
}

/**
 * Reads model.json and its weight shards: file names must be plain names in the folder, each group's bytes must
 * match the manifest, float weights must be finite and, with `expected`, every file must match its checksum.
 */
export async function readModelArtifacts(source: ModelSource, expected?: ExpectedFiles): Promise<tf.io.ModelArtifacts> {
  const modelPath = `${source.where}/${MODEL_FILE}`;
  const verify = (path: string, bytes: Uint8Array) =>
    expected ? verifyChecksum(expected.files, expected.listedIn, source.where, path, bytes, ModelFileError) : bytes;
  const modelJson = parseJsonFile<tf.io.ModelJSON>(await verify(MODEL_FILE, await source.read(MODEL_FILE)), modelPath);
  if (!isObject(modelJson) || !isObject(modelJson.modelTopology)) {
    throw new ModelFileError(`${modelPath}: not a TF.js layers model (no modelTopology or weightsManifest)`);
  }
  const manifest = checkWeightsManifest(modelJson.weightsManifest, modelPath, ModelFileError);
  checkTopologyAgainstWeights(modelJson.modelTopology, manifest.flatMap((group) => group.weights), (why) => {
    throw new ModelFileError(`${modelPath}: ${why}`);
  });
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const shards: NamedBytes[] = [];
  for (const group of manifest) {
    const groupShards = await Promise.all(group.paths.map(async (path) => ({ path, bytes: await source.read(path) })));
    const expectedBytes = group.weights.reduce((n, spec) => n + weightBytes(spec), 0);
    const got = groupShards.reduce((n, shard) => n + shard.bytes.byteLength, 0);
    if (got !== expectedBytes) {
      const files = group.paths.map((path) => `${source.where}/${path}`).join(', ');
      throw new ModelFileError(`${files}: ${got} bytes, but model.json lists ${expectedBytes} bytes of weights${got < expectedBytes ? ' (truncated?)' : ''}`);
    }
    for (const shard of groupShards) await verify(shard.path, shard.bytes);
    checkFiniteWeights(group.weights, groupShards, source.where, ModelFileError);
    shards.push(...groupShards);
    weightSpecs.push(...group.weights);
  }
  return {
    modelTopology: modelJson.modelTopology,
    weightSpecs,
    weightData: concatBytes(shards.map((s) => s.bytes)).buffer as ArrayBuffer,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    trainingConfig: modelJson.trainingConfig,
  };
}

/** A TF.js IOHandler that loads from a source: `tfl.loadLayersModel(sourceIO(urlSource(url)))`. */
export function sourceIO(source: ModelSource, expected?: ExpectedFiles): tf.io.IOHandler {
  return { load: () => readModelArtifacts(source, expected) };
}
