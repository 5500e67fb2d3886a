import { findBackend } from '@tensorflow/tfjs-core';
import { backendFactory, BackendError } from '../backend-plugin.js';

export const wasmBackend = backendFactory({
  name: 'wasm',
  engineName: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  description: 'WebAssembly with SIMD (the default; Node and browsers; one thread in Node)',
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!options.wasmPaths) return;
    // tfjs-backend-wasm ignores paths set after it started; say so instead of loading from the old place
    if (findBackend('wasm')) {
      throw new BackendError('backend "wasm": cannot set the .wasm file paths, the backend has already started; pass wasmPaths to the first useBackend("wasm")');
    }
    try {
      wasm.setWasmPaths(options.wasmPaths);
    } catch (err) {
      throw new BackendError(`backend "wasm": cannot set the .wasm file paths: ${(err as Error).message}`, { cause: err });
    }
  },
});
