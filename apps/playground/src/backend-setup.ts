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

let wasmPaths: Promise<Record<string, string>> | undefined;

/**
 * The .wasm paths with the one build this browser runs (tfjs-backend-wasm's own choice: SIMD, threads) fetched
 * once and handed over as a blob: URL. tfjs-core can start the wasm backend twice while it is loading (a lookup of
 * the backend starts it, then setBackend starts it again), and each start fetched the file; on a first visit, two
 * concurrent fetches also both miss the service worker's cache. The same object every time: the wasm backend
 * refuses to be given other paths once it started.
 */
function wasmPathsOnce(): Promise<Record<string, string>> {
  wasmPaths ??= (async () => {
    await import('@tensorflow/tfjs-backend-wasm'); // registers the feature flags read here
    const [simd, threads] = await Promise.all([tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
    const file = simd && threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
    try {
      const response = await fetch(WASM_PATHS[file]!, { credentials: 'same-origin' });
      if (!response.ok) return WASM_PATHS; // tfjs-backend-wasm fetches it again and says what failed
      const bytes = await response.arrayBuffer();
      return { ...WASM_PATHS, [file]: URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' })) };
    } catch {
      return WASM_PATHS;
    }
  })();
  return wasmPaths;
}

/** Switches this worker's TF.js to `name`; resolves to the engine TF.js now runs on. */
export async function switchBackend(name: BackendName): Promise<string> {
  await useBackend(name, name === 'wasm' ? { wasmPaths: await wasmPathsOnce() } : { wasmPaths: WASM_PATHS });
  registerBinaryKernels(); // the XNOR kernel, for cpu, wasm and webgpu
  return tf.getBackend();
}
