// A run folder's model: the TF.js model files plus run.json, which records the zoo name, its options and the
// class names, so a run can be rebuilt, evaluated, exported or used to initialize another model. The Node build:
// strings name folders (or file:// and http(s) URLs); saving writes a folder.
import type * as tfl from '@tensorflow/tfjs-layers';
import { isHttpUrl, urlSource, type ModelSource } from './model-source.js';
import { directorySource, fileSystemIO, folderOfFileUrl, joinPath, writeFileAtomic } from './file-system-io.js';
import { checkRunInfo, createRunLoaders, RUN_FILE, type RunInfo } from './run-loaders.js';

export { RUN_FILE, CUSTOM_LAYER_CLASSES, type RunInfo, type InitReport } from './run-loaders.js';

/** Saves the model (model.json + weights.bin) and run.json into the folder `dir`, each atomically, run.json last. */
export async function saveRun(dir: string, model: tfl.LayersModel, info: RunInfo): Promise<void> {
  checkRunInfo(info, 'saveRun');
  await model.save(fileSystemIO(dir));
  await writeFileAtomic(await joinPath(dir, RUN_FILE), JSON.stringify({ ...info, savedAt: new Date().toISOString() }, null, 2));
}

/** A run folder (Node: a path or a file:// URL) or an http(s) URL of one (browsers, or Node's fetch). */
export function runSource(where: string): ModelSource {
  if (isHttpUrl(where)) return urlSource(where);
  return directorySource(where.startsWith('file://') ? folderOfFileUrl(where) : where);
}

export const { loadRun, loadModel, readRunInfo, initFromRun } = createRunLoaders(runSource);
