// TF.js backends inside a worker, through @sketch-xnor/backends' useBackend (which also registers the project's
// kernels). In a bundled page two things differ from Node: tfjs-backend-wasm must be told where its .wasm files
// are served, and the optional backends must be imported by literal specifiers so the bundler emits them as
// lazy chunks; so webgl and webgpu are registered here with such imports, replacing the package's Node-style ones.
import * as tf from '@tensorflow/tfjs-core';
import { backendFactory, registerBackend, useBackend, BackendError } from '@sketch-xnor/backends';
import { registerBinaryKernels } from '@sketch-xnor/binary-ops';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from './protocol.js';

const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': absolute(wasmPlain),
  'tfjs-backend-wasm-simd.wasm': absolute(wasmSimd),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreadedSimd),
};

function absolute(url: string): string {
  return new URL(url, self.location.href).href;
}

registerBackend(
  backendFactory({
    name: 'webgl',
    engineName: 'webgl',
    packageName: '@tensorflow/tfjs-backend-webgl',
    description: 'WebGL 2 (in a worker through OffscreenCanvas)',
    async load() {
      if (typeof OffscreenCanvas === 'undefined') throw new BackendError('backend "webgl": this browser has no OffscreenCanvas in workers');
      await import('@tensorflow/tfjs-backend-webgl');
    },
  }),
  { replace: true },
);

registerBackend(
  backendFactory({
    name: 'webgpu',
    engineName: 'webgpu',
    packageName: '@tensorflow/tfjs-backend-webgpu',
    description: 'WebGPU',
    async load() {
      const gpu = (self.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) throw new BackendError('backend "webgpu": this browser has no WebGPU (navigator.gpu is missing)');
      if (!(await gpu.requestAdapter())) throw new BackendError('backend "webgpu": no WebGPU adapter (no usable GPU)');
      await import('@tensorflow/tfjs-backend-webgpu');
    },
  }),
  { replace: true },
);

/** Switches this worker's TF.js to `name`; resolves to the engine TF.js now runs on. */
export async function switchBackend(name: BackendName): Promise<string> {
  await useBackend(name, { wasmPaths: WASM_PATHS });
  registerBinaryKernels(); // the XNOR kernel, for cpu and wasm
  return tf.getBackend();
}
