// Writing and reading packed bundles. `bundleFiles` is pure (a packed model in, file bytes out); reading goes through
// a BundleSource so the same checks run on a folder (Node), a URL (browsers) or picked files.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, sha256Hex, validateManifest, verifiedFile, type BundleManifest } from './format.js';
import { encodeWeights } from './quantize-weights.js';
import { concatBytes, filesSource, parseJsonFile, urlSource, type ModelSource } from '../io/model-source.js';

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
    files: await Promise.all([...files].map(async ([path, bytes]) => ({ path, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }))),
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

/** Reads and checks a bundle, then loads its model. Any failure is a BundleError naming the file and the problem. */
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
  const modelJson = parseJsonFile<tf.io.ModelJSON>(modelBytes, `${where}/model.json`, BundleError);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let bytes = modelBytes.byteLength;
  for (const group of modelJson.weightsManifest ?? []) {
    for (const path of group.paths) {
      const chunk = await verifiedFile(manifest, path, await source.read(path), where);
      chunks.push(chunk);
      bytes += chunk.byteLength;
    }
    weightSpecs.push(...group.weights);
  }
  const weightData = concatBytes(chunks);
  try {
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weightData.buffer }),
    );
    return { model, manifest, bytes };
  } catch (err) {
    throw new BundleError(`${where}/model.json: cannot build the model (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
