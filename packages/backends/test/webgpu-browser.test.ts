// The webgpu backend in headless Chromium (SwiftShader's WebGPU: no GPU needed, so it runs in CI): the kernels a
// Sketch-A-Net train step runs, and a few Adam steps of a small Sketch-A-Net, against the cpu backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { browserSkipReason, bundlePage, openWebGpuPage, servePage, type PageServer, type WebGpuBrowser } from './browser/harness.js';
import type { KernelResult } from './browser/page/main.js';

const skipReason = browserSkipReason();
const PAGE_DIR = fileURLToPath(new URL('./browser/page/', import.meta.url));
// none through the import map: @sketch-xnor/backends imports tfjs-backend-webgpu by a literal specifier, which
// Vite bundles as a lazy chunk (the test checks that it was)
const IMPORT_MAP_PACKAGES: string[] = [];

const KERNEL_SEED = 20_261_126;
const CONV_CASES = 6;
const TRAIN_STEPS = 3;

/**
 * webgpu and cpu sum in different orders (tiled matMul vs the cpu's loops) in float32: 1e-4 of the largest value is
 * ~100 ulps at the sums of a few hundred terms these cases have (measured: within 4e-7).
 */
const KERNEL_TOLERANCE = 1e-4;
/**
 * Adam divides by sqrt(v) + 1e-7, so a step is about lr (1e-3) per weight whatever the gradient's size; rounding
 * differences in a gradient near zero can flip the sign of that step, so weights are compared to the step size:
 * after 3 steps a weight may differ by at most lr/10 (a flip would show as up to 2 lr; measured: under 1e-6).
 */
const WEIGHT_TOLERANCE = 1e-4;
/** The losses are sums over 10 classes of values near log(10): float32 rounding gives ~1e-6 of them. */
const LOSS_TOLERANCE = 1e-4;

interface TrainingComparison {
  cpuLosses: number[];
  webgpuLosses: number[];
  weights: { name: string; size: number; moved: number; diff: number }[];
}

declare const compareKernels: (seed: number, count: number) => Promise<KernelResult[]>;
declare const compareTraining: (steps: number) => Promise<TrainingComparison>;
declare const webgpuInfo: () => Promise<{ active: string; engine: string; adapter: string }>;

describe.skipIf(skipReason)(`webgpu backend in headless Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let server: PageServer;
  let browser: WebGpuBrowser;
  let webgpuChunks: string[];
  let webgpuChunkMentions: number;
  let webgpuChunkDynamicImports: number;

  beforeAll(async () => {
    const files = await bundlePage(PAGE_DIR, IMPORT_MAP_PACKAGES);
    const bodies = [...files].map(([path, file]) => [path, String(file.body)] as const);
    webgpuChunks = bodies.filter(([, body]) => body.includes('class WebGPUBackend')).map(([path]) => path);
    const chunkFile = webgpuChunks[0]?.split('/').pop() ?? '?';
    const count = (text: string) => bodies.reduce((n, [, body]) => n + body.split(text).length - 1, 0);
    [webgpuChunkMentions, webgpuChunkDynamicImports] = [count(chunkFile), count(`import("./${chunkFile}")`)];
    server = await servePage(files);
    browser = await openWebGpuPage(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('bundles the tfjs webgpu backend as a lazy chunk and starts it on a WebGPU adapter', async () => {
    expect(webgpuChunks).toHaveLength(1);
    // its own chunk, which other chunks reach only through import(): loaded when the page asks for webgpu
    expect(webgpuChunkDynamicImports).toBeGreaterThan(0);
    expect(webgpuChunkMentions).toBe(webgpuChunkDynamicImports);
    const info = await browser.page.evaluate(() => webgpuInfo());
    expect(info.active).toBe('webgpu');
    expect(info.engine).toBe('webgpu');
    expect(info.adapter).not.toBe('none');
  });

  it('runs every kernel of a train step as the cpu backend does', async () => {
    const results = await browser.page.evaluate(([seed, count]) => compareKernels(seed!, count!), [KERNEL_SEED, CONV_CASES]);
    expect(results.length).toBe(CONV_CASES + 2 + 8); // random convolutions, 2 fixed ones, pooling, relu, matMul, softmax
    for (const { name, diffs, scales } of results) {
      for (const output of Object.keys(diffs)) {
        expect(scales[output], `${name}: cpu's ${output} is not all zeros`).toBeGreaterThan(0);
        expect(diffs[output], `${name}: ${output} webgpu vs cpu`).toBeLessThan(KERNEL_TOLERANCE);
      }
    }
  });

  it('trains a small Sketch-A-Net with Adam as the cpu backend does, and the loss changes', async () => {
    const { cpuLosses, webgpuLosses, weights } = await browser.page.evaluate((steps) => compareTraining(steps), TRAIN_STEPS);
    expect(cpuLosses.length).toBe(TRAIN_STEPS);
    cpuLosses.forEach((loss, i) => {
      expect(Number.isFinite(loss)).toBe(true);
      expect(Math.abs(webgpuLosses[i]! - loss), `loss at step ${i}`).toBeLessThan(LOSS_TOLERANCE * Math.max(1, loss));
    });
    // the same few samples, three Adam steps at lr 1e-3: the loss must move well beyond rounding
    expect(Math.abs(cpuLosses[TRAIN_STEPS - 1]! - cpuLosses[0]!)).toBeGreaterThan(1e-3);
    expect(weights.length).toBe(16); // kernel and bias of conv1-5, fc6-8
    for (const { name, moved, diff } of weights) {
      expect(moved, `${name} moved on cpu`).toBeGreaterThan(1e-4);
      expect(diff, `${name}: webgpu vs cpu after ${TRAIN_STEPS} steps`).toBeLessThan(WEIGHT_TOLERANCE);
    }
  });
});
