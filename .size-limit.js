// Bundle size of the browser-facing packages (size-limit, esbuild, brotli): the whole public face (`*`) and the
// import a typical page makes, each with its peer dependencies (TF.js) left out, since the app brings those once.
// Limits are about 20% above the size measured when each was set (about 19:50 UTC, 26 Nov 2026: registry 661 B, binary-ops
// 9.29 / 7.34 kB, data 44.5 / 1.71 kB, models 14.2 / 10.1 kB, backends 4.3 kB, brotli); `npm run size` reports,
// test/consumers/bundle-size.test.ts fails past them.
import { builtinModules } from 'node:module';

const tfjs = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];
const backends = ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'];
// data's public face also exports its Node-only readers and downloads; a browser bundler stubs the built-ins
// they import (as Vite does), so they are left out of the measure instead of failing it.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const withoutNodeBuiltins = (config) => ({ ...config, external: [...(config.external ?? []), ...nodeBuiltins] });

const entry = (dir, imports, limit, ignore = tfjs) => ({
  name: imports === '*' ? `@sketch-xnor/${dir}` : `@sketch-xnor/${dir} ${imports}`,
  path: `packages/${dir}/dist/index.js`,
  import: imports,
  ignore,
  limit,
  modifyEsbuildConfig: withoutNodeBuiltins,
});

export default [
  entry('registry', '*', '0.8 kB', []),
  entry('binary-ops', '*', '11.2 kB'),
  entry('binary-ops', '{ QuantConv2D, getQuantizer }', '8.8 kB'),
  entry('data', '*', '53.5 kB', []),
  entry('data', '{ rasterize, parseQuickDrawLine }', '2.05 kB', []),
  entry('models', '*', '17.1 kB'),
  entry('models', '{ buildModel }', '12.1 kB'),
  entry('backends', '*', '5.2 kB', [...tfjs, ...backends]),
];
