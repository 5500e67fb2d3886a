import { backendFactory } from '../backend-plugin.js';

export const cpuBackend = backendFactory({
  name: 'cpu',
  engineName: 'cpu',
  packageName: '@tensorflow/tfjs-backend-cpu',
  description: 'plain JavaScript: the reference the other backends are checked against (slow)',
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
});
