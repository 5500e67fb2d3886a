// A run folder's model: the TF.js model files plus run.json, which records the zoo name, its options and the
// class names, so a run can be rebuilt, evaluated, exported or used to initialize another model.
import * as tfl from '@tensorflow/tfjs-layers';
import { PackedConv2D, QuantConv2D, QuantDense } from '@sketch-xnor/binary-ops';
import { MODEL_FILE, ModelFileError, isHttpUrl, parseJsonFile, sourceIO, urlSource, type ModelSource } from './model-source.js';
import { directorySource, fileSystemIO, folderOfFileUrl, joinPath, writeFileAtomic } from './file-system-io.js';

export const RUN_FILE = 'run.json';

/** The project's layer classes a saved model may use; named here so bundlers keep the modules that register them. */
export const CUSTOM_LAYER_CLASSES: readonly string[] = [QuantConv2D, QuantDense, PackedConv2D].map((layer) => layer.className);

export interface RunInfo {
  /** Zoo name, e.g. "sketch-a-net-bwn". */
  model: string;
  /** The options the model was built with. */
  options: Record<string, unknown>;
  /** Class names in output order. */
  classes: string[];
  /** Anything else the caller records (data, preprocessing, ...). */
  [key: string]: unknown;
}

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

/**
 * Loads a run's model and run.json from a folder or a URL. A missing or truncated run.json, model.json or weight
 * file is a ModelFileError naming the file.
 */
export async function loadRun(where: string | ModelSource): Promise<{ model: tfl.LayersModel; info: RunInfo }> {
  const source = typeof where === 'string' ? runSource(where) : where;
  const info = await readRunInfo(source);
  return { model: await loadModel(source), info };
}

/** Loads a TF.js layers model (model.json + weights) from a folder, a URL or a source, with errors naming the file. */
export async function loadModel(where: string | ModelSource): Promise<tfl.LayersModel> {
  const source = typeof where === 'string' ? runSource(where) : where;
  try {
    return await tfl.loadLayersModel(sourceIO(source));
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    const unknownClass = /Unknown layer: (\w+)/.exec(why)?.[1];
    const problem = unknownClass
      ? `uses the layer class ${unknownClass}, which is not registered (this package registers ${CUSTOM_LAYER_CLASSES.join(', ')}; ` +
        'register others with tf.serialization.registerClass)'
      : `cannot build the model (${why})`;
    throw new ModelFileError(`${source.where}/${MODEL_FILE}: ${problem}`, { cause: err });
  }
}

/** Reads and checks run.json of a folder, URL or source. */
export async function readRunInfo(where: string | ModelSource): Promise<RunInfo> {
  const source = typeof where === 'string' ? runSource(where) : where;
  const path = `${source.where}/${RUN_FILE}`;
  const info = parseJsonFile<RunInfo>(await source.read(RUN_FILE), path);
  checkRunInfo(info, path);
  return info;
}

function checkRunInfo(info: RunInfo, where: string): void {
  if (!info || typeof info !== 'object') throw new ModelFileError(`${where}: run info must be an object`);
  if (typeof info.model !== 'string') throw new ModelFileError(`${where}: has no "model" name`);
  if (!info.options || typeof info.options !== 'object') throw new ModelFileError(`${where}: has no "options" object`);
  if (!Array.isArray(info.classes) || !info.classes.every((c) => typeof c === 'string')) {
    throw new ModelFileError(`${where}: has no "classes" list of names`);
  }
}

export interface InitReport {
  /** Layers whose weights were copied. */
  copied: string[];
  /** Layers with weights that kept their own, and why. */
  skipped: Array<{ layer: string; why: string }>;
}

/**
 * Copies weights layer by layer, by name, from a trained model (or a run folder / URL) into `model`: the study's
 * recipe of starting a BWN/XNOR network from a vanilla one. Layers missing in the source or of another shape keep
 * their own weights and are reported.
 */
export async function initFromRun(model: tfl.LayersModel, source: string | ModelSource | tfl.LayersModel): Promise<InitReport> {
  const loaded = source instanceof tfl.LayersModel ? null : await loadModel(source);
  const from = loaded ?? (source as tfl.LayersModel);
  const donors = new Map(from.layers.map((layer) => [layer.name, layer]));
  const report: InitReport = { copied: [], skipped: [] };
  try {
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (!weights.length) continue;
      const donor = donors.get(layer.name);
      if (!donor) {
        report.skipped.push({ layer: layer.name, why: 'not in the source model' });
        continue;
      }
      const given = donor.getWeights();
      const shapes = (ws: typeof weights) => `[${ws.map((w) => w.shape.join('x')).join(', ')}]`;
      if (given.length !== weights.length || given.some((w, i) => w.shape.join() !== weights[i]!.shape.join())) {
        report.skipped.push({ layer: layer.name, why: `shapes differ: source ${shapes(given)}, model ${shapes(weights)}` });
        continue;
      }
      layer.setWeights(given);
      report.copied.push(layer.name);
    }
  } finally {
    loaded?.dispose();
  }
  return report;
}
