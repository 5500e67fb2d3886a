// bench:browser: one-image latency in headless Chromium (Debian's, through playwright-core) of the float
// Sketch-A-Net on tfjs wasm, webgl and webgpu against its packed XNOR twin on wasm (SIMD) and webgpu (the WGSL
// XnorConv2D), at 225 px full width 250 classes and at the playground's default model, on a real rendered
// Quick, Draw! sketch. Here WebGL and WebGPU run on SwiftShader (the CPU); on a machine with a GPU, on it.
// Prints medians per model and backend and, in the same run, the ratio packed / fastest float.
//   BENCH_REPEATS (default 7), BENCH_CONFIGS=full,playground (default both)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDataset, prepareTestViews } from '@sketch-xnor/data';
import { browserSkipReason, bundlePage, openWebGpuPage, servePage } from '../../packages/backends/test/browser/harness.js';
import type { BenchConfig, BenchTiming } from '../browser-page/main.js';

declare const benchLatency: (config: BenchConfig) => Promise<BenchTiming[]>;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const shared = process.env.SKETCH_XNOR_SHARED ?? path.resolve(root, '../shared');
const repeats = Number(process.env.BENCH_REPEATS ?? 7);
const wanted = (process.env.BENCH_CONFIGS ?? 'full,playground').split(',');

/** The center view of a real Quick, Draw! cat, rendered as the model's preprocessing says. */
async function sketchImage(renderSize: number, cropSize: number): Promise<number[]> {
  const dataset = await openDataset({ kind: 'quickdraw', path: path.join(shared, 'data/quickdraw-345'), categories: ['cat'], perCategory: 1 });
  for await (const sketch of dataset.sketches()) return Array.from(prepareTestViews(sketch, { renderSize, cropSize, augment: false })[0]!);
  throw new Error('no Quick, Draw! cat in ../shared/data');
}

/** The playground's default binary model: its options and preprocessing, from its manifest. */
function playgroundDefault(): { options: BenchConfig['options']; renderSize: number } {
  const manifest = JSON.parse(readFileSync(path.join(root, 'apps/playground/public/models/default/binary/manifest.json'), 'utf8'));
  const { classes, inputSize, width } = manifest.options;
  return { options: { classes, inputSize, width }, renderSize: manifest.input?.renderSize ?? inputSize };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const skip = browserSkipReason();
  if (skip) throw new Error(`bench:browser needs Chromium: ${skip}`);
  const configs: BenchConfig[] = [];
  const common = { repeats, floatBackends: ['wasm', 'webgl', 'webgpu'], packedBackends: ['wasm', 'webgpu'] };
  if (wanted.includes('full')) {
    configs.push({ label: 'Sketch-A-Net 225 px, width 1, 250 classes', options: { classes: 250, inputSize: 225, width: 1 }, image: await sketchImage(256, 225), ...common });
  }
  if (wanted.includes('playground')) {
    const pg = playgroundDefault();
    configs.push({ label: `playground default: ${pg.options.inputSize} px, width ${pg.options.width}, ${pg.options.classes} classes`, options: pg.options, image: await sketchImage(pg.renderSize, pg.options.inputSize), ...common });
  }
  const server = await servePage(await bundlePage(path.join(root, 'bench/browser-page'), []));
  const browser = await openWebGpuPage(server.url);
  try {
    console.log(`bench:browser: headless Chromium, batch 1, median of ${repeats} runs after 3 warm-up runs, ms per image`);
    for (const config of configs) {
      process.stderr.write(`timing ${config.label}...\n`);
      const timings = await browser.page.evaluate((c) => benchLatency(c), config);
      console.log(`\n${config.label}`);
      for (const t of timings) {
        const what = `${t.model.padEnd(6)} on ${t.backend.padEnd(6)}`;
        console.log(t.error ? `  ${what}  failed: ${t.error}` : `  ${what}  ${median(t.ms).toFixed(2).padStart(9)}  (${Math.min(...t.ms).toFixed(2)}-${Math.max(...t.ms).toFixed(2)})`);
      }
      const ok = timings.filter((t) => !t.error);
      const best = (model: string) => ok.filter((t) => t.model === model).sort((a, b) => median(a.ms) - median(b.ms))[0];
      const [float, packed] = [best('float'), best('packed')];
      if (float && packed) {
        const ratio = median(float.ms) / median(packed.ms);
        console.log(`  fastest float: ${float.backend} ${median(float.ms).toFixed(2)} ms; fastest packed: ${packed.backend} ${median(packed.ms).toFixed(2)} ms; packed is ${ratio >= 1 ? `${ratio.toFixed(2)}x faster` : `${(1 / ratio).toFixed(2)}x SLOWER`}`);
        for (const t of ok.filter((t) => t.model === 'packed')) console.log(`  packed on ${t.backend} vs fastest float: ${(median(float.ms) / median(t.ms)).toFixed(2)}x`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
