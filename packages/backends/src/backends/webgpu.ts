import { backendFactory, importOptional, isNode, BackendError } from '../backend-plugin.js';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

export const webgpuBackend = backendFactory({
  name: 'webgpu',
  engineName: 'webgpu',
  packageName: '@tensorflow/tfjs-backend-webgpu',
  description: 'WebGPU: browsers with navigator.gpu, or Node with the optional `webgpu` package (Dawn)',
  async load() {
    if (isNode() && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) {
      // Dawn's globals and navigator.gpu must exist before the backend module is imported.
      const dawn = (await importOptional('webgpu', 'webgpu')) as DawnModule;
      Object.assign(globalThis, dawn.globals);
      Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true, writable: true });
    }
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu) throw new BackendError('backend "webgpu": this environment has no WebGPU (navigator.gpu is missing)');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new BackendError('backend "webgpu": no WebGPU adapter was found (no GPU, or its driver is not usable here)');
    await importOptional('webgpu', '@tensorflow/tfjs-backend-webgpu');
  },
});
