// Bundle size of the browser-facing packages (size-limit, esbuild for the browser, brotli): the whole public face
// (`*`) and the import a typical page makes, each with its peer dependencies (TF.js) left out, since the app brings
// those once. data and models are measured by their browser faces (dist/browser.js, the `browser` condition of
// their exports), which is what a browser bundler takes. No Node built-in is stubbed or left out: one imported by a
// browser face fails the build here. Limits are about 20% above the size measured when each was set (about 19:50
// UTC, 26 Nov 2026: registry 661 B, binary-ops 9.29 / 7.34 kB, models 14.2 / 10.1 kB, backends 4.3 kB; data's
// browser face at 22:57 UTC: 17.7 / 1.72 kB, its full face was 44.8 kB; brotli). `npm run size` reports,
// test/consumers/bundle-size.test.ts fails past them.
const tfjs = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];
const backends = ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'];

const entry = (dir, imports, limit, ignore = tfjs, face = 'index') => ({
  name: imports === '*' ? `@sketch-xnor/${dir}` : `@sketch-xnor/${dir} ${imports}`,
  path: `packages/${dir}/dist/${face}.js`,
  import: imports,
  ignore,
  limit,
});

export default [
  entry('registry', '*', '0.8 kB', []),
  entry('binary-ops', '*', '11.2 kB'),
  entry('binary-ops', '{ QuantConv2D, getQuantizer }', '8.8 kB'),
  entry('data', '*', '21.2 kB', [], 'browser'),
  entry('data', '{ rasterize, parseQuickDrawLine }', '2.05 kB', [], 'browser'),
  entry('models', '*', '17.1 kB', tfjs, 'browser'),
  entry('models', '{ buildModel }', '12.1 kB', tfjs, 'browser'),
  entry('backends', '*', '5.2 kB', [...tfjs, ...backends]),
];
