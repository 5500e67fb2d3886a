// TF.js's own model format on the local file system, for Node: tfjs-core has no file:// handler without tfjs-node.
// Writes are atomic (temp file, fsync, rename; weights before model.json). Node's modules are imported when first
// used, so browsers can load this package; the file:// routers are registered on import only under Node.
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_FILE, ModelFileError, WEIGHTS_FILE, readModelArtifacts, type FileErrorClass, type ModelSource } from './model-source.js';
import { checkFileName } from './validate.js';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

const nodeFs = () => import('node:fs/promises');
const nodePath = () => import('node:path');

/** `dir/file` with the platform's separator. */
export async function joinPath(dir: string, file: string): Promise<string> {
  return (await nodePath()).join(dir, file);
}

let tempCounter = 0;
/** Writes bytes to a temporary file beside the target, syncs it to disk, then renames it over the target. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const { writeFile, open, rename, rm } = await nodeFs();
  const temp = `${path}.tmp-${process.pid}-${tempCounter++}`;
  try {
    await writeFile(temp, data);
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** The files of a folder, by plain name (nothing outside the folder); a missing file is reported by its path. */
export function directorySource(dir: string, ErrorClass: FileErrorClass = ModelFileError): ModelSource {
  return {
    where: dir,
    async read(file) {
      checkFileName(file, dir, ErrorClass);
      const path = await joinPath(dir, file);
      try {
        return new Uint8Array(await (await nodeFs()).readFile(path));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new ErrorClass(code === 'ENOENT' ? `${path} is missing` : `${path}: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

/** The files of TF.js's format for saved artifacts: weights.bin and model.json (one weights group). */
export function modelFiles(dir: string, artifacts: tf.io.ModelArtifacts): Map<string, Uint8Array> {
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new ModelFileError(`${dir}: the model has no weights to save`);
  const weightData = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData);
  const modelJson: tf.io.ModelJSON = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
  // weights first: model.json, written last, is what makes the folder a model
  return new Map([
    [WEIGHTS_FILE, new Uint8Array(weightData)],
    [MODEL_FILE, new TextEncoder().encode(JSON.stringify(modelJson))],
  ]);
}

/** Writes files into `dir` atomically, in the map's order. */
export async function writeFilesAtomic(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  await (await nodeFs()).mkdir(dir, { recursive: true });
  for (const [name, bytes] of files) await writeFileAtomic(await joinPath(dir, name), bytes);
}

/** An IOHandler for the folder `dir`: `model.save(fileSystemIO(dir))`, `tfl.loadLayersModel(fileSystemIO(dir))`. */
export function fileSystemIO(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await writeFilesAtomic(dir, modelFiles(dir, artifacts));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: () => readModelArtifacts(directorySource(dir)),
  };
}

/** The folder a file:// URL names: `file:///abs/run`, `file://./run` or `file://run/model.json`. */
export function folderOfFileUrl(url: string): string {
  const path = decodeURIComponent(url.slice('file://'.length));
  if (path === MODEL_FILE) return '.';
  return path.endsWith(`/${MODEL_FILE}`) ? path.slice(0, -MODEL_FILE.length - 1) || '/' : path;
}

let routersRegistered = false;
/**
 * Lets `model.save('file://dir')` and `tfl.loadLayersModel('file://dir/model.json')` work in Node. Idempotent;
 * done on import under Node, so only needed after `tf.io.IORouterRegistry` was reset.
 */
export function registerFileSystemIO(): void {
  if (routersRegistered) return;
  routersRegistered = true;
  // a router answers null for URLs it does not handle (tfjs-core's typing leaves that out)
  const route = (url: string | string[]): tf.io.IOHandler => {
    const first = Array.isArray(url) ? url[0] : url;
    if (typeof first !== 'string' || !first.startsWith('file://')) return null as unknown as tf.io.IOHandler;
    return fileSystemIO(folderOfFileUrl(first));
  };
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
}

if (isNode) registerFileSystemIO();
