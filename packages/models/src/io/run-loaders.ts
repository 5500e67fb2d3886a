// Reading run folders (model.json + weights + run.json) from any ModelSource: browser-safe. How a string names a
// source is the build's (run.ts in Node: folders and URLs; run-browser.ts: URLs), so the loaders are made for it.
import * as tfl from '@tensorflow/tfjs-layers';
import { PackedConv2D, QuantConv2D, QuantDense, SparseConv2D } from '@sketch-xnor/binary-ops';
import { MODEL_FILE, ModelFileError, parseJsonFile, sourceIO, type ExpectedFiles, type ModelSource } from './model-source.js';
import {
  checkClassCount,
  checkClasses,
  checkFileChecksums,
  checkInput,
  checkModelName,
  checkOptions,
  failWith,
  isObject,
  type FileChecksum,
} from './validate.js';

export const RUN_FILE = 'run.json';

/**
 * Every layer class of the project that a run folder or a packed bundle may hold (training layers and what packModel
 * emits); named here so bundlers keep the modules that register them.
 */
export const CUSTOM_LAYER_CLASSES: readonly string[] = [QuantConv2D, QuantDense, PackedConv2D, SparseConv2D].map((layer) => layer.className);

export interface RunInfo {
  /** Zoo name, e.g. "sketch-a-net-bwn". */
  model: string;
  /** The options the model was built with. */
  options: Record<string, unknown>;
  /** Class names in output order. */
  classes: string[];
  /** The size and SHA-256 of model.json and the weight files, written by saveRun (absent in runs saved before). */
  files?: FileChecksum[];
  /** Anything else the caller records (data, preprocessing, ...). */
  [key: string]: unknown;
}

export interface InitReport {
  /** Layers whose weights were copied. */
  copied: string[];
  /** Layers with weights that kept their own, and why. */
  skipped: Array<{ layer: string; why: string }>;
}

export interface RunLoaders {
  /**
   * Loads a run's model and run.json from a folder or a URL. A missing, truncated or corrupt run.json, model.json or
   * weight file (checksums of run.json, NaN or Infinity in a weight, classes that do not count the model's outputs)
   * is a ModelFileError naming the file.
   */
  loadRun(where: string | ModelSource): Promise<{ model: tfl.LayersModel; info: RunInfo }>;
  /**
   * Loads a TF.js layers model (model.json + weights) from a folder, a URL or a source, with errors naming the file;
   * when the folder is a run (it has a run.json with checksums), every file is checked against them.
   */
  loadModel(where: string | ModelSource): Promise<tfl.LayersModel>;
  /** Reads and checks run.json of a folder, URL or source. */
  readRunInfo(where: string | ModelSource): Promise<RunInfo>;
  /**
   * Copies weights layer by layer, by name, from a trained model (or a run folder / URL) into `model`: the study's
   * recipe of starting a BWN/XNOR network from a vanilla one. Layers missing in the source or of another shape keep
   * their own weights and are reported.
   */
  initFromRun(model: tfl.LayersModel, source: string | ModelSource | tfl.LayersModel): Promise<InitReport>;
}

/** The run loaders of a build whose strings name sources the way `runSource` says. */
export function createRunLoaders(runSource: (where: string) => ModelSource): RunLoaders {
  const toSource = (where: string | ModelSource) => (typeof where === 'string' ? runSource(where) : where);

  async function buildModel(source: ModelSource, info: RunInfo | undefined): Promise<tfl.LayersModel> {
    const expected: ExpectedFiles | undefined = info?.files ? { files: info.files, listedIn: RUN_FILE } : undefined;
    try {
      return await tfl.loadLayersModel(sourceIO(source, expected));
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

  async function readRunInfo(where: string | ModelSource): Promise<RunInfo> {
    const source = toSource(where);
    return parseRunInfo(await source.read(RUN_FILE), source);
  }

  function parseRunInfo(bytes: Uint8Array, source: ModelSource): RunInfo {
    const path = `${source.where}/${RUN_FILE}`;
    const info = parseJsonFile<RunInfo>(bytes, path);
    checkRunInfo(info, path);
    return info;
  }

  async function loadModel(where: string | ModelSource): Promise<tfl.LayersModel> {
    const source = toSource(where);
    // a plain model folder has no run.json (nothing to check against); a run's run.json must be sound
    const runJson = await source.read(RUN_FILE).catch(() => undefined);
    return buildModel(source, runJson && parseRunInfo(runJson, source));
  }

  async function loadRun(where: string | ModelSource): Promise<{ model: tfl.LayersModel; info: RunInfo }> {
    const source = toSource(where);
    const info = await readRunInfo(source);
    const model = await buildModel(source, info);
    try {
      checkRunModel(info, model, `${source.where}/${RUN_FILE}`, `the model in ${MODEL_FILE}`);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return { model, info };
  }

  async function initFromRun(model: tfl.LayersModel, source: string | ModelSource | tfl.LayersModel): Promise<InitReport> {
    const loaded = source instanceof tfl.LayersModel ? null : await loadModel(source);
    try {
      return copyWeightsByName(loaded ?? (source as tfl.LayersModel), model);
    } finally {
      loaded?.dispose();
    }
  }

  return { loadRun, loadModel, readRunInfo, initFromRun };
}

/**
 * Checks run info (run.json, or what saveRun is given): model name, options, classes, and when present the input
 * preprocessing (`input` or `sample`) and the file checksums, each within the limits of validate.ts.
 */
export function checkRunInfo(info: unknown, where: string): asserts info is RunInfo {
  const fail = failWith(ModelFileError, where);
  if (!isObject(info)) return fail('run info must be an object');
  checkModelName(info.model, fail);
  const classes = checkClasses(info.classes, fail);
  checkOptions(info.options, classes, fail);
  checkInput(info.input, 'input', fail);
  checkInput(info.sample, 'sample', fail);
  if (info.files !== undefined) checkFileChecksums(info.files, where, ModelFileError, fail);
  if (info.savedAt !== undefined && typeof info.savedAt !== 'string') fail('savedAt must be a date string');
}

/** Refuses run info whose classes do not count the model's outputs. */
export function checkRunModel(info: RunInfo, model: tfl.LayersModel, where: string, modelName: string): void {
  checkClassCount(info.classes, model, modelName, failWith(ModelFileError, where));
}

/** Copies each layer's weights from the same-named layer of `from` when the shapes agree; reports the others. */
function copyWeightsByName(from: tfl.LayersModel, model: tfl.LayersModel): InitReport {
  const donors = new Map(from.layers.map((layer) => [layer.name, layer]));
  const report: InitReport = { copied: [], skipped: [] };
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
  return report;
}
