import { backendFactory, importOptional } from '../backend-plugin.js';

// tfjs-node and tfjs-node-gpu both register their engine as "tensorflow"; neither is installed by default.
export const tensorflowBackend = backendFactory({
  name: 'tensorflow',
  engineName: 'tensorflow',
  packageName: '@tensorflow/tfjs-node',
  description: 'native libtensorflow on the CPU (optional: npm install @tensorflow/tfjs-node)',
  async load() {
    await importOptional('tensorflow', '@tensorflow/tfjs-node');
  },
});

export const tensorflowGpuBackend = backendFactory({
  name: 'tensorflow-gpu',
  engineName: 'tensorflow',
  packageName: '@tensorflow/tfjs-node-gpu',
  description: 'native libtensorflow with CUDA (optional: npm install @tensorflow/tfjs-node-gpu)',
  async load() {
    await importOptional('tensorflow-gpu', '@tensorflow/tfjs-node-gpu');
  },
});
