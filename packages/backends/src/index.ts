// Public face of @sketch-xnor/backends: TF.js backends by name, and the project's kernels for them.
export { useBackend, registerBackend, unregisterBackend, getBackend, listBackends, DEFAULT_BACKEND } from './backend-registry.js';
export { importOptional, backendFactory, BackendError, isNode, type BackendPlugin, type BackendLoadOptions } from './backend-plugin.js';
export { registerProjectKernels, projectKernels, originalKernel } from './kernels/register-kernels.js';
export type { ProjectKernel } from './kernels/project-kernel.js';
export { wasmThreads, defaultThreads } from './backends/wasm.js';
export { MAX_WASM_THREADS } from './backends/wasm-threads.js';
