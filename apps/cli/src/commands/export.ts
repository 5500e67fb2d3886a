// `sketch-xnor export`: a trained run packed into a 1-bit bundle (sign bits + one scale per filter, BatchNorm folded,
// optional 8-bit float layers), with its size against the float model.
import { exportRun } from '@sketch-xnor/models';
import { selectBackend } from '../backend.js';
import { readRunConfig } from '../config.js';
import { CliError, describeError } from '../errors.js';
import { checkExportTarget } from '../export-target.js';

export interface ExportFlags {
  run: string;
  out: string;
  uint8?: boolean;
  backend: string;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function runExport(flags: ExportFlags): Promise<void> {
  const config = readRunConfig(flags.run);
  checkExportTarget(flags.run, flags.out);
  await selectBackend(flags.backend);
  let result;
  try {
    result = await exportRun(flags.run, flags.out, { uint8: flags.uint8 ?? false, input: { ...config.sample, augment: false } });
  } catch (err) {
    throw new CliError(`export ${flags.run}: ${describeError(err)}`, undefined, { cause: err });
  }
  for (const layer of result.report.layers) {
    process.stdout.write(`  ${layer.name.padEnd(12)} ${layer.action}${layer.why ? ` (${layer.why})` : ''}\n`);
  }
  if (!result.report.layers.some((layer) => layer.action.startsWith('packed'))) {
    process.stderr.write(
      `warning: ${flags.run} (${config.model.name}) has no binarized layer, so nothing was packed to 1 bit: the bundle is the float model` +
        `${flags.uint8 ? ' with 8-bit weights' : ''}. Train a sketch-a-net-bwn or sketch-a-net-xnor run (e.g. --init ${flags.run}) to export a 1-bit one.\n`,
    );
  }
  const ratio = result.floatBytes / result.bundleBytes;
  process.stdout.write(
    `${flags.out}: ${config.model.name}, ${kib(result.bundleBytes)} packed vs ${kib(result.floatBytes)} float: ${ratio.toFixed(1)}x smaller` +
      `${flags.uint8 ? ' (8-bit float layers)' : ''}\n`,
  );
}
