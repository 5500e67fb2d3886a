// TF.js's own model format (model.json + a weights file) on the local file system, for Node: tfjs-core has no
// file:// handler without tfjs-node. Writes are atomic (temp file, fsync, rename; weights before model.json), and
// loading checks the weight file against the manifest so a truncated file is named, not misread.
import * as tf from '@tensorflow/tfjs-core';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

const WEIGHTS_FILE = 'weights.bin';
const MODEL_FILE = 'model.json';

/** Writes bytes to a temporary file, syncs it to disk, then renames it over the target. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(temp, data);
  const handle = await open(temp, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes a weight takes in the file, as TF.js encodes it (quantized weights take their storage dtype). */
function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  return count * (BYTES[spec.quantization?.dtype ?? spec.dtype] ?? 4);
}

/** An IOHandler for the folder `dir`: `model.save(fileSystemIO(dir))`, `tf.loadLayersModel(fileSystemIO(dir))`. */
export function fileSystemIO(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      if (!artifacts.weightSpecs || !artifacts.weightData) throw new ModelFileError(`${dir}: the model has no weights to save`);
      const weightData = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData);
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      const modelJson: tf.io.ModelJSON = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      await writeFileAtomic(join(dir, MODEL_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load() {
      const modelPath = join(dir, MODEL_FILE);
      const modelJson = await readJson<tf.io.ModelJSON>(modelPath);
      if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
        throw new ModelFileError(`${modelPath}: not a TF.js layers model (no modelTopology or weightsManifest)`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const chunks: Uint8Array[] = [];
      for (const group of modelJson.weightsManifest) {
        const expected = group.weights.reduce((a, s) => a + specBytes(s), 0);
        const parts = await Promise.all(group.paths.map((p) => readBytes(join(dir, p))));
        const got = parts.reduce((a, p) => a + p.byteLength, 0);
        if (got !== expected) {
          throw new ModelFileError(
            `${join(dir, group.paths.join(', '))}: ${got} bytes, but model.json lists ${expected} bytes of weights` + (got < expected ? ' (truncated?)' : ''),
          );
        }
        chunks.push(...parts);
        specs.push(...group.weights);
      }
      const weightData = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
      let at = 0;
      for (const c of chunks) {
        weightData.set(c, at);
        at += c.byteLength;
      }
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: specs,
        weightData: weightData.buffer,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        trainingConfig: modelJson.trainingConfig,
      };
    },
  };
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelFileError(code === 'ENOENT' ? `${path} is missing` : `${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads and parses a JSON file; errors name the file and say whether it is missing or malformed. */
export async function readJson<T>(path: string): Promise<T> {
  const bytes = await readBytes(path);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (err) {
    throw new ModelFileError(`${path}: not valid JSON (${(err as Error).message}); the file may be truncated`, { cause: err });
  }
}

let routersRegistered = false;
/** Lets `model.save('file://dir')` and `tf.loadLayersModel('file://dir')` work in Node. Idempotent. */
export function registerFileSystemIO(): void {
  if (routersRegistered) return;
  routersRegistered = true;
  // a router answers null for URLs it does not handle (tfjs-core's own typing leaves that out)
  const route = (url: string | string[]): tf.io.IOHandler => {
    const u = Array.isArray(url) ? url[0] : url;
    if (typeof u !== 'string' || !u.startsWith('file://')) return null as unknown as tf.io.IOHandler;
    const path = u.slice('file://'.length);
    return fileSystemIO(path.endsWith(MODEL_FILE) ? path.slice(0, -MODEL_FILE.length) || '.' : path);
  };
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
}
