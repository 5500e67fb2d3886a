import { backendFactory, importOptional, isNode, BackendError } from '../backend-plugin.js';

export const webglBackend = backendFactory({
  name: 'webgl',
  engineName: 'webgl',
  packageName: '@tensorflow/tfjs-backend-webgl',
  description: 'WebGL 2 in browsers',
  async load() {
    if (isNode()) throw new BackendError('backend "webgl" runs in browsers only; in Node use wasm (default), cpu or webgpu');
    await importOptional('webgl', '@tensorflow/tfjs-backend-webgl');
  },
});
