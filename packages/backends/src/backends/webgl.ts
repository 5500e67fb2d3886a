import { backendFactory, importOptional, isNode, BackendError } from '../backend-plugin.js';

export const webglBackend = backendFactory({
  name: 'webgl',
  engineName: 'webgl',
  packageName: '@tensorflow/tfjs-backend-webgl',
  description: 'WebGL 2 in browsers (in a worker: where OffscreenCanvas exists)',
  async load() {
    if (isNode()) throw new BackendError('backend "webgl" runs in browsers only; in Node use wasm (default), cpu or webgpu');
    if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') {
      throw new BackendError('backend "webgl": this worker has no OffscreenCanvas, which WebGL needs outside the page');
    }
    // a literal specifier, so bundlers emit the backend as a lazy chunk
    await importOptional('webgl', '@tensorflow/tfjs-backend-webgl', () => import('@tensorflow/tfjs-backend-webgl'));
  },
});
