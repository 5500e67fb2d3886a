import { findBackend } from '@tensorflow/tfjs-core';
import { backendFactory, BackendError } from '../backend-plugin.js';

/** The paths the running backend was started with (tfjs-backend-wasm reads them once, at start). */
let startedWith: string | undefined;
const key = (paths: unknown) => JSON.stringify(paths);

export const wasmBackend = backendFactory({
  name: 'wasm',
  engineName: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  description: 'WebAssembly with SIMD (the default; Node and browsers; one thread in Node)',
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!options.wasmPaths) return;
    // tfjs-backend-wasm ignores paths set after it started: the same paths again are fine (a page switching back
    // to wasm), other paths are an error instead of a silent load from the old place
    if (findBackend('wasm')) {
      if (startedWith === key(options.wasmPaths)) return;
      throw new BackendError('backend "wasm": cannot set the .wasm file paths, the backend has already started; pass wasmPaths to the first useBackend("wasm")');
    }
    try {
      wasm.setWasmPaths(options.wasmPaths);
      startedWith = key(options.wasmPaths);
    } catch (err) {
      throw new BackendError(`backend "wasm": cannot set the .wasm file paths: ${(err as Error).message}`, { cause: err });
    }
  },
});
