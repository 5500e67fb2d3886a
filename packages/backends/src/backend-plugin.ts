// What a backend plugin is, and helpers the built-in backends share.
import type { PluginConfig, PluginFactory } from '@sketch-xnor/registry';

export interface BackendLoadOptions {
  /** Browsers: where tfjs-backend-wasm's .wasm files are served (a folder URL, or a map of file name to URL). */
  wasmPaths?: string | Record<string, string>;
  /**
   * wasm: threads for XNNPACK's thread pool (convolutions, matrix products), the calling thread included; a whole
   * number >= 1, more than MAX_WASM_THREADS (8) are capped. Read once, at the backend's start. In Node, more than 1
   * starts tfjs's threaded SIMD build with this package's worker shims; without it (or 1) the single-threaded SIMD
   * build runs, as before. In browsers it takes effect where the page is cross-origin isolated.
   */
  threads?: number;
}

export interface BackendPlugin {
  /** The name users pick (`--backend tensorflow-gpu`). */
  readonly name: string;
  /** The name TF.js registers the engine under (tfjs-node-gpu registers as "tensorflow"). */
  readonly engineName: string;
  /** The npm package that provides it. */
  readonly packageName: string;
  readonly description: string;
  /** Imports the package and prepares what it needs; throws a BackendError that says what to install or why not. */
  load(options: BackendLoadOptions): Promise<void>;
  getConfig(): PluginConfig;
}

export class BackendError extends Error {
  override name = 'BackendError';
}

/**
 * Imports an optional package, turning "not installed" into an error that names the package to install. By default
 * the specifier is computed, so bundlers leave the package out; pass `load` as `() => import('the-package')` (a
 * literal specifier) where bundlers should emit it as a lazy chunk instead.
 */
export async function importOptional(
  backendName: string,
  packageName: string,
  load: () => Promise<unknown> = () => import(/* @vite-ignore */ packageName),
): Promise<unknown> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners word it their own way
    const missing =
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)|Could not resolve|Failed to (load|resolve)|Does the file exist|not found/i.test(String(err));
    throw new BackendError(
      missing
        ? `backend "${backendName}" needs the npm package ${packageName}, which is not installed: npm install ${packageName}`
        : `backend "${backendName}": ${packageName} is installed but could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

export const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Plugin boilerplate: a factory whose instances take no options. */
export function backendFactory(plugin: Omit<BackendPlugin, 'getConfig'>): PluginFactory<BackendPlugin> {
  const instance: BackendPlugin = { ...plugin, getConfig: () => ({ name: plugin.name }) };
  return {
    name: plugin.name,
    description: plugin.description,
    create(options) {
      const keys = Object.keys(options);
      if (keys.length) throw new Error(`backend "${plugin.name}" takes no options (got ${keys.join(', ')}); pass load options to useBackend`);
      return instance;
    },
  };
}
