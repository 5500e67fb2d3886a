// Loads a model for the page from a folder URL or picked files: a packed bundle (manifest.json, checked by the
// models package: sizes and SHA-256 of every file) or a run folder (run.json + model.json + weights). Every failure
// becomes a ModelLoadError (or the models package's BundleError) whose message names the file and the problem.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BundleError, CUSTOM_LAYER_CLASSES, bundleFromFiles, bundleFromUrl, loadBundle, readModelArtifacts, type BundleSource, type FileChecksum } from '@sketch-xnor/models';
import { ModelLoadError, metaFromManifest, metaFromRun, type ModelMeta } from './model-meta.js';
import type { ModelOrigin } from './protocol.js';

/**
 * The project's layer classes that TF.js has not registered: none, unless the page was bundled without some.
 * CUSTOM_LAYER_CLASSES is every class a run or bundle can hold (SparseConv2D included); reading it at run time keeps
 * the modules that register them in the worker's bundle, which would otherwise drop those it sees no use of (the
 * packages compile from source there, as side-effect-free modules). A list of our own would go stale.
 */
export function unregisteredLayerClasses(): string[] {
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  return CUSTOM_LAYER_CLASSES.filter((name) => !(name in registered));
}

export interface LoadedModel {
  format: 'run' | 'bundle';
  model: tfl.LayersModel;
  meta: ModelMeta;
  /** Bytes read: manifest/run files, topology and weights. */
  bytes: number;
  where: string;
}

export function sourceFor(origin: ModelOrigin): BundleSource {
  return origin.kind === 'url' ? bundleFromUrl(origin.url) : bundleFromFiles(origin.files);
}

/** Reads a JSON file that may be absent. Static hosts with an app-shell fallback answer any path with HTML: absent too. */
async function tryReadJson(source: BundleSource, path: string): Promise<{ bytes?: Uint8Array; why?: string }> {
  try {
    const bytes = await source.read(path);
    const first = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart()[0];
    return first === '{' ? { bytes } : { why: `${source.where}/${path} is not a JSON object` };
  } catch (err) {
    return { why: err instanceof Error ? err.message : String(err) };
  }
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ModelLoadError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** A packed bundle when the source has manifest.json, else a run folder when it has run.json. */
export async function loadModel(source: BundleSource): Promise<LoadedModel> {
  const missing = unregisteredLayerClasses();
  if (missing.length > 0) throw new ModelLoadError(`this page was built without the layer classes ${missing.join(', ')}; no model using them can load`);
  const manifest = await tryReadJson(source, 'manifest.json');
  if (manifest.bytes) return loadPackedBundle(source);
  const run = await tryReadJson(source, 'run.json');
  if (run.bytes) return loadRunFolder(source, run.bytes);
  throw new ModelLoadError(
    `${source.where}: neither a packed bundle (manifest.json: ${manifest.why}) nor a run folder (run.json: ${run.why})`,
  );
}

async function loadPackedBundle(source: BundleSource): Promise<LoadedModel> {
  const { model, manifest, bytes } = await loadBundle(source);
  const meta = metaFromManifest(manifest, `${source.where}/manifest.json`);
  checkShapes(model, meta, `${source.where}/model.json`);
  return { format: 'bundle', model, meta, bytes: bytes + JSON.stringify(manifest).length, where: source.where };
}

async function loadRunFolder(source: BundleSource, runBytes: Uint8Array): Promise<LoadedModel> {
  const { where } = source;
  const config = await tryReadJson(source, 'config.json'); // the CLI's config: the exact preprocessing, when present
  const run = parseJson(runBytes, `${where}/run.json`);
  const meta = metaFromRun(run, `${where}/run.json`, config.bytes && parseJson(config.bytes, `${where}/config.json`));
  // the models package's reader: plain file names inside the folder, sizes and (for runs that record them) SHA-256
  // of model.json and the weights against run.json, finite weights, layer settings against the weights
  const files = (run as { files?: FileChecksum[] }).files;
  const artifacts = await readModelArtifacts(source, files ? { files, listedIn: 'run.json' } : undefined);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new ModelLoadError(`${where}/model.json: cannot build the model (${err instanceof Error ? err.message : String(err)})`);
  }
  checkShapes(model, meta, `${where}/model.json`);
  const modelJsonBytes = new TextEncoder().encode(JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: [{ weights: artifacts.weightSpecs }] })).byteLength;
  const bytes = runBytes.byteLength + modelJsonBytes + (artifacts.weightData as ArrayBuffer).byteLength + (config.bytes?.byteLength ?? 0);
  return { format: 'run', model, meta, bytes, where };
}

/** The model must take the input its metadata describes and give one score per class. */
function checkShapes(model: tfl.LayersModel, meta: ModelMeta, where: string): void {
  const [, height, width, channels] = model.inputs[0]!.shape;
  const { cropSize, channels: expectedChannels } = meta.input;
  if (height !== cropSize || width !== cropSize || channels !== expectedChannels) {
    model.dispose();
    throw new ModelLoadError(`${where}: the model takes ${height}x${width}x${channels} inputs, but its metadata says ${cropSize}x${cropSize}x${expectedChannels}`);
  }
  const outputs = model.outputs[0]!.shape[1];
  if (outputs !== meta.classes.length) {
    model.dispose();
    throw new ModelLoadError(`${where}: the model has ${outputs} outputs but ${meta.classes.length} class names`);
  }
}

/** A clear one-line message for anything loading threw. */
export function describeLoadError(err: unknown): string {
  if (err instanceof ModelLoadError || err instanceof BundleError) return err.message;
  return `the model could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
}
