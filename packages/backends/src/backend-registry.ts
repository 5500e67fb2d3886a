// TF.js backends by name, in the project's one plugin shape. A backend plugin knows which npm package provides it
// and how to load it; `useBackend` loads it, registers the project's kernels for it, switches TF.js to it and
// checks that TF.js really did switch (tf.setBackend can fail quietly and stay on another backend).
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, type PluginConfig, type PluginFactory, type RegisterOptions } from '@sketch-xnor/registry';
import { registerProjectKernels } from './kernels/register-kernels.js';
import { builtinBackends } from './backends/index.js';
import { BackendError, type BackendLoadOptions, type BackendPlugin } from './backend-plugin.js';

const isBackend = (v: unknown): v is BackendPlugin =>
  typeof v === 'object' && v !== null && typeof (v as BackendPlugin).load === 'function' && typeof (v as BackendPlugin).engineName === 'string';

const registry = createRegistry<BackendPlugin>('backend', isBackend);
for (const backend of builtinBackends) registry.register(backend);

export function registerBackend(factory: PluginFactory<BackendPlugin>, options?: RegisterOptions): void {
  registry.register(factory, options);
}

/** Removes a backend plugin; true if it was registered. */
export function unregisterBackend(name: string): boolean {
  return registry.unregister(name);
}

export function getBackend(spec: string | PluginConfig | BackendPlugin): BackendPlugin {
  return registry.get(spec);
}

/** Registered backend names, sorted. */
export function listBackends(): string[] {
  return registry.list();
}

/** The default backend: WebAssembly (SIMD), in Node and browsers. */
export const DEFAULT_BACKEND = 'wasm';

/**
 * Makes `name` the TF.js backend, with the project's kernels registered for it. Resolves to the backend's name;
 * rejects with a BackendError when the package is missing, the backend cannot start, or TF.js stayed elsewhere.
 */
export async function useBackend(name: string = DEFAULT_BACKEND, options: BackendLoadOptions = {}): Promise<string> {
  const backend = getBackend(name);
  await backend.load(options);
  registerProjectKernels(backend.engineName);
  let switched: boolean;
  try {
    switched = await tf.setBackend(backend.engineName);
    await tf.ready();
  } catch (err) {
    throw new BackendError(`backend "${name}" failed to start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const active = tf.getBackend();
  if (!switched || active !== backend.engineName) {
    throw new BackendError(
      `backend "${name}" failed to start: tf.setBackend("${backend.engineName}") returned ${switched} and TF.js is on "${active}"; ` +
        'refusing to go on with another backend',
    );
  }
  return name;
}

