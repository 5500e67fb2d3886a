// The TF.js backend, chosen by name through @sketch-xnor/backends (which also registers the project's kernels).
import { useBackend } from '@sketch-xnor/backends';
import { CliError, describeError } from './errors.js';

export async function selectBackend(name: string): Promise<string> {
  try {
    return await useBackend(name);
  } catch (err) {
    throw new CliError(`--backend ${name}: ${describeError(err)}`, undefined, { cause: err });
  }
}
