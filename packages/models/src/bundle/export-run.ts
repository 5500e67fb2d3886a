// The Node edge of packing: a trained run folder in, a packed bundle folder out.
import { packModel, type PackReport } from '@sketch-xnor/binary-ops';
import { loadRun } from '../io/run.js';
import { bundleFiles } from './bundle.js';
import { writeBundleFiles } from './node-files.js';
import type { BundleManifest } from './format.js';

export interface ExportResult {
  manifest: BundleManifest;
  report: PackReport;
  /** Bytes of the bundle's files (manifest included). */
  bundleBytes: number;
  /** Bytes of the run's float model (model.json + weights). */
  floatBytes: number;
}

export interface ExportOptions {
  /** Store the float layers (conv1, fc8) as 8-bit with a scale. */
  uint8?: boolean;
  /** The preprocessing the model expects (render and crop size, channels), recorded in the manifest for predictors. */
  input?: Record<string, unknown>;
}

/** Packs the model of `runDir` into a bundle in `outDir`. */
export async function exportRun(runDir: string, outDir: string, options: ExportOptions = {}): Promise<ExportResult> {
  const { model, info } = await loadRun(runDir);
  // node:fs only when exporting, so the package still loads in browsers
  const { stat } = await import('node:fs/promises');
  const floatBytes = (await stat(`${runDir}/model.json`)).size + (await stat(`${runDir}/weights.bin`)).size;
  // conv1 reads the sketch itself, mostly blank paper: its sparse form skips the zeros
  const { model: packed, report } = packModel(model, { sparseFirstLayer: true });
  const { model: name, options: modelOptions, classes, ...rest } = info;
  const files = await bundleFiles(packed, {
    model: name,
    options: modelOptions,
    classes,
    uint8: options.uint8 ?? false,
    layers: report.layers,
    input: options.input ?? (rest.input as Record<string, unknown> | undefined) ?? { inputSize: modelOptions.inputSize, channels: modelOptions.channels },
    source: { run: runDir, floatBytes },
  });
  await writeBundleFiles(outDir, files);
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as BundleManifest;
  const bundleBytes = [...files.values()].reduce((a, f) => a + f.byteLength, 0);
  return { manifest, report, bundleBytes, floatBytes };
}
