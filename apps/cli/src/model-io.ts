// The model of a run: built from the recorded config, saved in TF.js's format beside config.json (with the
// models package's run.json), and loaded back; the models package names a missing or cut-off file.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildModel, initFromRun, listModels, loadRun, saveRun, type InitReport } from '@sketch-xnor/models';
import type { RunConfig } from './config.js';
import { CliError, describeError } from './errors.js';
import { loadedPlugins } from './plugin-loader.js';

export function checkModelName(name: string): void {
  const known = listModels();
  if (!known.includes(name)) throw new CliError(`unknown model "${name}"; known models: ${known.join(', ')}`);
}

export async function buildRunModel(config: RunConfig): Promise<LayersModel> {
  checkModelName(config.model.name);
  try {
    return await buildModel(config.model.name, config.model.options);
  } catch (err) {
    throw new CliError(`cannot build ${config.model.name} with ${JSON.stringify(config.model.options)}: ${describeError(err)}`, undefined, { cause: err });
  }
}

/** Copies weights by layer name from another run's saved model; returns which layers were copied and skipped. */
export async function initModelFrom(model: LayersModel, runDir: string): Promise<InitReport> {
  try {
    return await initFromRun(model, runDir);
  } catch (err) {
    throw new CliError(`--init ${runDir}: ${describeError(err)}`, undefined, { cause: err });
  }
}

export async function saveRunModel(runDir: string, model: LayersModel, config: RunConfig): Promise<void> {
  await saveRun(runDir, model, { model: config.model.name, options: config.model.options, classes: config.dataset.categories });
}

/** When the run was trained with plugins this process has not loaded, how to load them. */
function pluginHint(runDir: string, config: RunConfig): string {
  const missing = (config.plugins ?? []).filter((plugin) => !loadedPlugins().includes(plugin));
  if (missing.length === 0) return '';
  const flags = missing.map((plugin) => `--plugin ${plugin}`).join(' ');
  return `\nthe run was trained with ${flags}; load it again, e.g. sketch-xnor ${flags} eval --run ${runDir}`;
}

export async function loadRunModel(runDir: string, config: RunConfig): Promise<LayersModel> {
  try {
    const { model } = await loadRun(runDir);
    return model;
  } catch (err) {
    throw new CliError(`cannot load the model of ${runDir} (${config.model.name}): ${describeError(err)}${pluginHint(runDir, config)}`, undefined, { cause: err });
  }
}
