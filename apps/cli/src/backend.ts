// The TF.js backend, chosen by name through @sketch-xnor/backends (which also registers the project's kernels).
import { useBackend } from '@sketch-xnor/backends';
import { CliError, describeError } from './errors.js';

/** Starts the backend; `threads` is the wasm backend's thread count (results do not depend on it). */
export async function selectBackend(name: string, threads?: number): Promise<string> {
  try {
    return await useBackend(name, name === 'wasm' && threads !== undefined ? { threads } : {});
  } catch (err) {
    throw new CliError(`--backend ${name}: ${describeError(err)}`, undefined, { cause: err });
  }
}
