// The one list of the project's TF.js kernels, per backend (one file per kernel), in the way of tfjs-core's
// kernel_registry.ts. A kernel that replaces one of the backend's own keeps the original as its fallback.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './wasm/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './wasm/Conv2DBackpropInput.js';

const PROJECT_KERNELS: Record<string, Array<(original: KernelFunc | undefined) => KernelConfig>> = {
  wasm: [() => conv2DBackpropFilterConfig, (original) => conv2DBackpropInputConfig(original)],
};

const registered = new Map<string, Set<string>>();

/** Registers the project's kernels for a backend (once); returns the kernel names now served by the project. */
export function registerProjectKernels(backendName: string): string[] {
  const done = registered.get(backendName) ?? new Set<string>();
  for (const make of PROJECT_KERNELS[backendName] ?? []) {
    const probe = make(undefined);
    if (done.has(probe.kernelName)) continue;
    const original = getKernel(probe.kernelName, backendName);
    if (original) unregisterKernel(probe.kernelName, backendName);
    // the original's setup (e.g. binding its wasm function) must still run when the backend initializes
    registerKernel({ ...make(original?.kernelFunc), ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}) });
    done.add(probe.kernelName);
  }
  registered.set(backendName, done);
  return [...done];
}

/** The project kernels a backend gets, by name. */
export function projectKernelNames(backendName: string): string[] {
  return (PROJECT_KERNELS[backendName] ?? []).map((make) => make(undefined).kernelName);
}
