import { backendFactory, importOptional, isNode, BackendError } from '../backend-plugin.js';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

type Navigator = { gpu?: GPU };

/** Node: Dawn's globals and navigator.gpu, which must exist before the tfjs backend module is imported. */
async function installDawn(): Promise<void> {
  // a computed specifier: Dawn is a native addon that bundles keep external (../shared/gpu/prepare.sh does)
  const dawn = (await importOptional('webgpu', 'webgpu')) as DawnModule;
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true, writable: true });
}

export const webgpuBackend = backendFactory({
  name: 'webgpu',
  engineName: 'webgpu',
  packageName: '@tensorflow/tfjs-backend-webgpu',
  description: 'WebGPU: browsers with navigator.gpu, or Node with the optional `webgpu` package (Dawn)',
  async load() {
    if (isNode() && !(globalThis as { navigator?: Navigator }).navigator?.gpu) await installDawn();
    const gpu = (globalThis as { navigator?: Navigator }).navigator?.gpu;
    if (!gpu) throw new BackendError('backend "webgpu": this environment has no WebGPU (navigator.gpu is missing)');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new BackendError('backend "webgpu": no WebGPU adapter was found (no GPU, or its driver is not usable here)');
    // a literal specifier, so bundlers (Vite for pages, esbuild for the GPU machine) emit the backend as a lazy chunk
    await importOptional('webgpu', '@tensorflow/tfjs-backend-webgpu', () => import('@tensorflow/tfjs-backend-webgpu'));
  },
});
