// The model of a run: built from the recorded config, saved in TF.js's format beside config.json (with the
// models package's run.json), and loaded back; the models package names a missing or cut-off file.
import { extname } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildModel, importMatConvNet, initFromRun, listModels, loadRun, saveRun, type InitReport } from '@sketch-xnor/models';
import { GRADIENT_QUANTIZER, kernelQuantizerName, type RunConfig } from './config.js';
import { CliError, UsageError, describeError } from './errors.js';
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

/**
 * `--kernel-gradient` without `--kernel-quantizer` sets the gradient of the model's own kernel quantizer, which must
 * be the one that has it: a float model would otherwise silently become a BWN one. Read off a model built without it.
 */
export async function checkKernelGradient(config: RunConfig, quantizerNamed: boolean): Promise<void> {
  const choice = config.model.options.kernelQuantizer;
  if (typeof choice !== 'object' || quantizerNamed) return;
  const { kernelQuantizer: _, ...options } = config.model.options;
  const probe = await buildRunModel({ ...config, model: { ...config.model, options } });
  try {
    const own = probe.layers.map((layer) => (layer as { kernelQuantizer?: { name: string } | null }).kernelQuantizer).find((q) => q != null);
    if (own?.name !== GRADIENT_QUANTIZER) {
      throw new UsageError(
        `--kernel-gradient ${choice.gradient} sets the weight gradient of ${GRADIENT_QUANTIZER} kernels, and ${config.model.name} has ` +
          `${own ? `${own.name} kernels` : 'float kernels'}; train a BWN or XNOR model (sketch-a-net-bwn, sketch-a-net-xnor) or name the quantizer with --kernel-quantizer`,
      );
    }
  } finally {
    probe.dispose();
  }
}

/** A MatConvNet model file (`--init net.mat`), as opposed to a run folder. */
export const isMatConvNetFile = (path: string) => extname(path).toLowerCase() === '.mat';

/**
 * Copies weights by layer name from another run's saved model, or from a MatConvNet Sketch-A-Net (`.mat`, e.g. the
 * published Sketch-A-Net weights); returns which layers were copied and skipped, and notes on what of a .mat does not
 * carry over: class names other than the run's (its fc8 outputs then stand for other labels), its input normalization.
 */
export async function initModelFrom(model: LayersModel, source: string, categories: readonly string[]): Promise<InitReport & { notes: string[] }> {
  if (!isMatConvNetFile(source)) {
    try {
      return { ...(await initFromRun(model, source)), notes: [] };
    } catch (err) {
      throw new CliError(`--init ${source}: ${describeError(err)}`, undefined, { cause: err });
    }
  }
  let imported: Awaited<ReturnType<typeof importMatConvNet>>;
  try {
    imported = await importMatConvNet(source);
  } catch (err) {
    // the reader's errors (MatFileError) start with the file's name
    throw new CliError(`--init ${describeError(err)}`, undefined, { cause: err });
  }
  try {
    const report = await initFromRun(model, imported.model);
    const notes: string[] = [];
    const { classes } = imported.info;
    const named = !classes.every((name, i) => name === `class-${i}`);
    if (named && classes.join('\n') !== categories.join('\n')) {
      const head = (names: readonly string[]) => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}`;
      notes.push(`note: ${source}'s ${classes.length} classes (${head(classes)}) are not this run's ${categories.length} in its order (${head(categories)}): its fc8 outputs stand for other labels`);
    }
    const normalization = Object.keys(imported.normalization ?? {}).filter((key) => key !== 'imageSize' && key !== 'interpolation');
    if (normalization.length > 0) notes.push(`note: ${source}'s input normalization (${normalization.join(', ')}) is not applied; sketches are fed as in every run`);
    return { ...report, notes };
  } catch (err) {
    throw new CliError(`--init ${source}: ${describeError(err)}`, undefined, { cause: err });
  } finally {
    imported.model.dispose();
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
