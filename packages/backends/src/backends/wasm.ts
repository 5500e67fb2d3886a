import { backendFactory, BackendError } from '../backend-plugin.js';

export const wasmBackend = backendFactory({
  name: 'wasm',
  engineName: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  description: 'WebAssembly with SIMD (the default; Node and browsers; one thread in Node)',
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPaths) {
      try {
        wasm.setWasmPaths(options.wasmPaths as string);
      } catch (err) {
        throw new BackendError(`backend "wasm": cannot set the .wasm file paths: ${(err as Error).message}`, { cause: err });
      }
    }
  },
});
