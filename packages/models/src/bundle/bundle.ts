// Writing and reading packed bundles. `bundleFiles` is pure (a packed model in, file bytes out); reading goes through
// a BundleSource so the same checks run on a folder (Node), a URL (browsers) or picked files.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, validateManifest, verifiedFile, type BundleManifest } from './format.js';
import { encodeWeights } from './quantize-weights.js';
import { checkFiniteWeights, checkWeightsManifest, concatBytes, filesSource, parseJsonFile, urlSource, type ModelSource, type NamedBytes } from '../io/model-source.js';
import { checkClassCount, failWith, fileChecksums, isObject } from '../io/validate.js';

export interface BundleInfo {
  model: string;
  options: Record<string, unknown>;
  classes: string[];
  /** Store float layers (e.g. conv1, fc8) as 8-bit with a scale. */
  uint8?: boolean;
  layers?: BundleManifest['layers'];
  input?: Record<string, unknown>;
  source?: BundleManifest['source'];
}

/** The files of a bundle for a packed model: model.json, weights.bin, manifest.json. */
export async function bundleFiles(packed: tfl.LayersModel, info: BundleInfo): Promise<Map<string, Uint8Array>> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await packed.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new BundleError('the packed model saved no weights');
  const weightBuffer = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData);
  const { specs, data } = encodeWeights(artifacts.weightSpecs, weightBuffer, { uint8: info.uint8 ?? false });
  const modelJson = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: 'sketch-xnor export',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  const files = new Map<string, Uint8Array>([
    ['model.json', new TextEncoder().encode(JSON.stringify(modelJson))],
    ['weights.bin', data],
  ]);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    model: info.model,
    options: info.options,
    classes: info.classes,
    floatWeights: info.uint8 ? 'uint8' : 'float32',
    layers: info.layers ?? [],
    input: info.input,
    files: await fileChecksums(files),
    source: info.source,
  };
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  return files;
}

/** Where a bundle's files come from (a folder, a URL or picked files). */
export type BundleSource = ModelSource;

/** A bundle at a URL (browsers, or Node with fetch). */
export const bundleFromUrl = (base: string): BundleSource => urlSource(base, BundleError);

/** A bundle from files a person picked (a File list with manifest.json, model.json and weights.bin). */
export const bundleFromFiles = (files: ArrayLike<Blob & { name: string }>): BundleSource => filesSource(files, BundleError);

/**
 * Reads and checks a bundle, then loads its model: file names, sizes and checksums against the manifest, finite
 * float weights, and classes that count the model's outputs. Any failure is a BundleError naming the file and the problem.
 */
export async function loadBundle(source: BundleSource): Promise<{ model: tfl.LayersModel; manifest: BundleManifest; bytes: number }> {
  const { where } = source;
  let manifestValue: unknown;
  try {
    manifestValue = JSON.parse(new TextDecoder().decode(await source.read('manifest.json')));
  } catch (err) {
    if (err instanceof BundleError) throw err;
    throw new BundleError(`${where}/manifest.json: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const manifest = validateManifest(manifestValue, `${where}/manifest.json`);
  const modelBytes = await verifiedFile(manifest, 'model.json', await source.read('model.json'), where);
  const modelPath = `${where}/model.json`;
  const modelJson = parseJsonFile<tf.io.ModelJSON>(modelBytes, modelPath, BundleError);
  if (!isObject(modelJson) || !isObject(modelJson.modelTopology)) throw new BundleError(`${modelPath}: not a TF.js layers model (no modelTopology)`);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: NamedBytes[] = [];
  for (const group of checkWeightsManifest(modelJson.weightsManifest ?? [], modelPath, BundleError)) {
    const groupChunks: NamedBytes[] = [];
    for (const path of group.paths) groupChunks.push({ path, bytes: await verifiedFile(manifest, path, await source.read(path), where) });
    checkFiniteWeights(group.weights, groupChunks, where, BundleError);
    chunks.push(...groupChunks);
    weightSpecs.push(...group.weights);
  }
  const weightData = concatBytes(chunks.map((c) => c.bytes));
  const bytes = modelBytes.byteLength + weightData.byteLength;
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weightData.buffer as ArrayBuffer }));
  } catch (err) {
    throw new BundleError(`${modelPath}: cannot build the model (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  try {
    checkClassCount(manifest.classes, model, 'the model in model.json', failWith(BundleError, `${where}/manifest.json`));
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, manifest, bytes };
}
