// TF.js backends inside a worker, through @sketch-xnor/backends' useBackend (which also registers the project's
// kernels). In a bundled page tfjs-backend-wasm must be told where its .wasm files are served; webgl and webgpu
// need nothing here (the package imports them by literal specifiers, which Vite emits as lazy chunks).
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
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

/** Switches this worker's TF.js to `name`; resolves to the engine TF.js now runs on. */
export async function switchBackend(name: BackendName): Promise<string> {
  await useBackend(name, { wasmPaths: WASM_PATHS });
  registerBinaryKernels(); // the XNOR kernel, for cpu and wasm
  return tf.getBackend();
}
