// Test helper: switch TF.js backends. Uses @sketch-xnor/backends' useBackend (which also registers the
// project's kernels, e.g. wasm's conv filter gradient) once it exists; until then tf.setBackend, checked.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as backends from '@sketch-xnor/backends';

export const testBackends = ['cpu', 'wasm'] as const;

export async function switchBackend(name: string): Promise<void> {
  const useBackend = (backends as { useBackend?: (name: string) => Promise<string> }).useBackend;
  if (useBackend) {
    await useBackend(name);
  } else if (!(await tf.setBackend(name)) || tf.getBackend() !== name) {
    throw new Error(`could not switch TF.js to the ${name} backend (on ${tf.getBackend()})`);
  }
}

