// A run folder's model: the TF.js model files plus run.json, which records the zoo name, its options and the
// class names, so a run can be rebuilt, evaluated, exported or used to initialize another model. The Node build:
// strings name folders (or file:// and http(s) URLs); saving writes a folder.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isHttpUrl, urlSource, type ModelSource } from './model-source.js';
import { directorySource, folderOfFileUrl, joinPath, modelFiles, writeFileAtomic, writeFilesAtomic } from './file-system-io.js';
import { checkRunInfo, checkRunModel, createRunLoaders, RUN_FILE, type RunInfo } from './run-loaders.js';
import { fileChecksums } from './validate.js';

export { RUN_FILE, CUSTOM_LAYER_CLASSES, type RunInfo, type InitReport } from './run-loaders.js';

/**
 * Saves the model (model.json + weights.bin) and run.json into the folder `dir`, each atomically, run.json last.
 * run.json records the size and SHA-256 of both model files (`files`), checked when the run is loaded.
 */
export async function saveRun(dir: string, model: tfl.LayersModel, info: RunInfo): Promise<void> {
  const { files: _earlier, ...rest } = info; // a loaded run's checksums are not this model's
  checkRunInfo(rest, 'saveRun');
  checkRunModel(rest, model, 'saveRun', 'the model');
  let files: Map<string, Uint8Array> | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = modelFiles(dir, artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await writeFilesAtomic(dir, files!);
  const runJson = { ...rest, files: await fileChecksums(files!), savedAt: new Date().toISOString() };
  await writeFileAtomic(await joinPath(dir, RUN_FILE), JSON.stringify(runJson, null, 2));
}

/** A run folder (Node: a path or a file:// URL) or an http(s) URL of one (browsers, or Node's fetch). */
export function runSource(where: string): ModelSource {
  if (isHttpUrl(where)) return urlSource(where);
  return directorySource(where.startsWith('file://') ? folderOfFileUrl(where) : where);
}

export const { loadRun, loadModel, readRunInfo, initFromRun } = createRunLoaders(runSource);
