// The one list of the project's TF.js kernels (one file per kernel), in the way of tfjs-core's kernel_registry.ts.
// A kernel that replaces one of the backend's own keeps the original: as a fallback for the cases it does not
// cover, for its setup (the wasm kernels bind their wasm functions there), and for `originalKernel`.
import { findBackendFactory, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import type { ProjectKernel } from './project-kernel.js';
import { wasmConv2DBackpropFilter } from './wasm/Conv2DBackpropFilter.js';
import { wasmConv2DBackpropInput } from './wasm/Conv2DBackpropInput.js';
import { wasmMaxPoolGrad } from './wasm/MaxPoolGrad.js';
import { cpuConv2DBackpropFilter } from './cpu/Conv2DBackpropFilter.js';
import { webgpuConv2DBackpropFilter } from './webgpu/Conv2DBackpropFilter.js';

export const PROJECT_KERNELS: readonly ProjectKernel[] = [
  wasmConv2DBackpropFilter,
  wasmConv2DBackpropInput,
  wasmMaxPoolGrad,
  cpuConv2DBackpropFilter,
  webgpuConv2DBackpropFilter,
];

/** The backend's own kernels the project replaced, by `backend/kernel`. */
const originals = new Map<string, KernelConfig | null>();
const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

/** Registers the project's kernels for a backend (idempotent); returns the kernel names the project now serves. */
export function registerProjectKernels(backendName: string): string[] {
  const kernels = PROJECT_KERNELS.filter((k) => k.backendName === backendName);
  if (kernels.length && !findBackendFactory(backendName)) {
    // registered first, ours would shadow the backend's own kernels and lose their setup when it loads
    throw new Error(`registerProjectKernels("${backendName}"): load the backend first (useBackend("${backendName}") does both)`);
  }
  for (const kernel of kernels) {
    const id = key(kernel.kernelName, backendName);
    if (originals.has(id)) continue;
    const original = getKernel(kernel.kernelName, backendName);
    originals.set(id, original ?? null);
    if (original) unregisterKernel(kernel.kernelName, backendName);
    registerKernel({
      kernelName: kernel.kernelName,
      backendName,
      kernelFunc: kernel.create(original?.kernelFunc),
      ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
      ...(original?.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
    });
  }
  return kernels.map((k) => k.kernelName);
}

/** The project kernels a backend gets, with why. */
export function projectKernels(backendName?: string): ProjectKernel[] {
  return PROJECT_KERNELS.filter((k) => backendName === undefined || k.backendName === backendName);
}

/**
 * The backend's own kernel that a project kernel replaced (undefined when the backend had none, or the project's
 * kernels are not registered for it yet): the reference the tests check the project's kernels against.
 */
export function originalKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  return originals.get(key(kernelName, backendName)) ?? undefined;
}
