// Reading TF.js's own model format (model.json + weight shards) from anywhere files come from: a folder (Node), a
// URL (browsers, or Node's fetch) or files a person picked. Every shard is checked against the sizes model.json
// lists before TF.js sees it, so a truncated or missing file is named rather than misread. Browser-safe.
import * as tf from '@tensorflow/tfjs-core';

/** A missing, truncated or malformed model file; the message names the file and what is wrong. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/** The error class a source throws (models use ModelFileError, bundles their BundleError). */
export type FileErrorClass = new (message: string, options?: ErrorOptions) => Error;

/** Where a model's files come from. */
export interface ModelSource {
  /** Names the folder or URL in errors. */
  readonly where: string;
  /** The bytes of a file, by its path relative to the model (e.g. "model.json"). */
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

/** Reads model.json and its weight shards, checking each group's bytes against the manifest. */
export async function readModelArtifacts(source: ModelSource): Promise<tf.io.ModelArtifacts> {
  const modelPath = `${source.where}/${MODEL_FILE}`;
  const modelJson = parseJsonFile<tf.io.ModelJSON>(await source.read(MODEL_FILE), modelPath);
  if (!modelJson || typeof modelJson.modelTopology !== 'object' || !Array.isArray(modelJson.weightsManifest)) {
    throw new ModelFileError(`${modelPath}: not a TF.js layers model (no modelTopology or weightsManifest)`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    const shards = await Promise.all(group.paths.map((path) => source.read(path)));
    const expected = group.weights.reduce((n, spec) => n + weightBytes(spec), 0);
    const got = shards.reduce((n, shard) => n + shard.byteLength, 0);
    if (got !== expected) {
      const files = group.paths.map((path) => `${source.where}/${path}`).join(', ');
      throw new ModelFileError(`${files}: ${got} bytes, but model.json lists ${expected} bytes of weights${got < expected ? ' (truncated?)' : ''}`);
    }
    chunks.push(...shards);
    weightSpecs.push(...group.weights);
  }
  return {
    modelTopology: modelJson.modelTopology,
    weightSpecs,
    weightData: concatBytes(chunks).buffer as ArrayBuffer,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    trainingConfig: modelJson.trainingConfig,
  };
}

/** A TF.js IOHandler that loads from a source: `tfl.loadLayersModel(sourceIO(urlSource(url)))`. */
export function sourceIO(source: ModelSource): tf.io.IOHandler {
  return { load: () => readModelArtifacts(source) };
}
