// What predict runs: the model of a run folder, or a packed bundle (a folder with manifest.json), with its classes
// and the test-time preprocessing it was trained with.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadBundle, bundleFromDirectory } from '@sketch-xnor/models';
import { readRunConfig, type RunConfig } from './config.js';
import { CliError, describeError } from './errors.js';
import { loadRunModel } from './model-io.js';

export interface Predictor {
  model: LayersModel;
  categories: string[];
  sample: { renderSize: number; cropSize: number; channels: number; augment: false };
  /** A run folder's config.json (absent for a bundle, which records no data or split). */
  config?: RunConfig;
}

export async function loadPredictor(dir: string): Promise<Predictor> {
  if (existsSync(join(dir, 'manifest.json'))) {
    try {
      const { model, manifest } = await loadBundle(bundleFromDirectory(dir));
      const input = manifest.input as { renderSize?: number; cropSize?: number; channels?: number } | undefined;
      if (!input?.renderSize || !input.cropSize) throw new Error('manifest.json records no input preprocessing (renderSize, cropSize)');
      return { model, categories: manifest.classes, sample: { renderSize: input.renderSize, cropSize: input.cropSize, channels: input.channels ?? 1, augment: false } };
    } catch (err) {
      throw new CliError(`cannot load the bundle ${dir}: ${describeError(err)}`, undefined, { cause: err });
    }
  }
  const config = readRunConfig(dir);
  const model = await loadRunModel(dir, config);
  const { renderSize, cropSize, channels } = config.sample;
  return { model, categories: config.dataset.categories, sample: { renderSize, cropSize, channels, augment: false }, config };
}
