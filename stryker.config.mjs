// Mutation testing of the core math and parsers (`npm run test:mutation`, outside CI: it runs the related tests once
// per mutant, tens of minutes on 2 cores). STRYKER_MUTATE=<glob>[,<glob>] narrows it to some files.
import { fileURLToPath } from 'node:url';

const CORE = [
  'packages/binary-ops/src/sign.ts',
  'packages/binary-ops/src/quantizers/*.ts',
  'packages/binary-ops/src/xnor/pack.ts',
  'packages/binary-ops/src/xnor/xnor-gemm.ts',
  'packages/binary-ops/src/xnor/xnor-conv.ts',
  'packages/binary-ops/src/xnor/sign-pack.ts',
  'packages/binary-ops/src/xnor/sparse-conv.ts',
  'packages/data/src/augment/stroke-removal.ts',
  'packages/data/src/augment/rotate-image.ts',
  'packages/data/src/rasterize.ts',
  'packages/data/src/svg-path.ts',
  'packages/data/src/readers/quickdraw-line.ts',
  'packages/data/src/readers/svg-strokes.ts',
  'packages/trainer/src/adam.ts',
  'packages/trainer/src/schedule.ts',
];

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: process.env.STRYKER_MUTATE ? process.env.STRYKER_MUTATE.split(',') : CORE,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
};

// the sandbox is a copy of the repository in .stryker-tmp/: its tests find ../shared through this variable
process.env.SKETCH_XNOR_SHARED ??= fileURLToPath(new URL('../shared', import.meta.url));
