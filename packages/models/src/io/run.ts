// A run folder's model: the TF.js model files plus run.json, which records the zoo name, its options and the
// class names, so a run can be rebuilt, evaluated, exported or used to initialize another model.
import * as tfl from '@tensorflow/tfjs-layers';
import '@sketch-xnor/binary-ops';
import { join } from 'node:path';
import { fileSystemIO, readJson, writeFileAtomic, ModelFileError } from './file-system-io.js';

export const RUN_FILE = 'run.json';

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

/** Saves the model and run.json into `dir` (atomically, run.json last). */
export async function saveRun(dir: string, model: tfl.LayersModel, info: RunInfo): Promise<void> {
  await model.save(fileSystemIO(dir));
  await writeFileAtomic(join(dir, RUN_FILE), JSON.stringify({ ...info, savedAt: new Date().toISOString() }, null, 2));
}

/** Reads run.json and the model of a run folder; errors name the missing or broken file. */
export async function loadRun(dir: string): Promise<{ model: tfl.LayersModel; info: RunInfo }> {
  const info = await readRunInfo(dir);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(fileSystemIO(dir));
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(`${join(dir, 'model.json')}: cannot build the model (${(err as Error).message})`, { cause: err });
  }
  return { model, info };
}

/** Reads and checks run.json. */
export async function readRunInfo(dir: string): Promise<RunInfo> {
  const path = join(dir, RUN_FILE);
  const info = await readJson<RunInfo>(path);
  if (!info || typeof info.model !== 'string') throw new ModelFileError(`${path}: has no "model" name`);
  if (!Array.isArray(info.classes)) throw new ModelFileError(`${path}: has no "classes" list`);
  if (!info.options || typeof info.options !== 'object') throw new ModelFileError(`${path}: has no "options" object`);
  return info;
}

export interface InitReport {
  copied: string[];
  skipped: Array<{ layer: string; why: string }>;
}

/**
 * Copies weights layer by layer, by name, from a trained model (or a run folder) into `model`: the study's recipe
 * of starting a BWN/XNOR network from a vanilla one. Layers missing in the source or of another shape are skipped
 * and reported.
 */
export async function initFromRun(model: tfl.LayersModel, source: string | tfl.LayersModel): Promise<InitReport> {
  const from = typeof source === 'string' ? (await loadRun(source)).model : source;
  const report: InitReport = { copied: [], skipped: [] };
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (!weights.length) continue;
    let donor: tfl.layers.Layer | undefined;
    try {
      donor = from.getLayer(layer.name);
    } catch {
      donor = undefined;
    }
    if (!donor) {
      report.skipped.push({ layer: layer.name, why: 'not in the source model' });
      continue;
    }
    const given = donor.getWeights();
    const same = given.length === weights.length && given.every((w, i) => w.shape.join() === weights[i]!.shape.join());
    if (!same) {
      report.skipped.push({
        layer: layer.name,
        why: `shapes differ: [${given.map((w) => w.shape.join('x')).join(', ')}] vs [${weights.map((w) => w.shape.join('x')).join(', ')}]`,
      });
      continue;
    }
    layer.setWeights(given);
    report.copied.push(layer.name);
  }
  return report;
}
