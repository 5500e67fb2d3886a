// The WGSL XnorConv2D kernel in headless Chromium (SwiftShader's WebGPU, no GPU needed) against the cpu kernel:
// exact integer dot products where alpha is 1, and the scaled, biased outputs within float rounding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { browserSkipReason, bundlePage, openWebGpuPage, servePage, type PageServer, type WebGpuBrowser } from '../../backends/test/browser/harness.js';
import type { XnorCase, XnorResult } from './xnor-webgpu-page/main.js';

const skipReason = browserSkipReason();
const PAGE_DIR = fileURLToPath(new URL('./xnor-webgpu-page/', import.meta.url));

const base = { strides: [1, 1] as [number, number], padding: 'same' as const, padValue: -1 as const, exact: true, folded: false };
const CASES: XnorCase[] = [
  { ...base, name: '3x3 same, pad -1, 5 channels', xShape: [2, 7, 6, 5], kernel: [3, 3, 4] },
  { ...base, name: '3x3 same, pad +1, 32 channels (one full word)', xShape: [1, 6, 6, 32], kernel: [3, 3, 3], padValue: 1 },
  // padding with -1 where the channels fill whole words: conv3-conv5 of the real XNOR net (256 channels at width 1)
  { ...base, name: '3x3 same, pad -1, 32 channels (one full word)', xShape: [1, 6, 6, 32], kernel: [3, 3, 3] },
  { ...base, name: '3x3 same, pad -1, 64 channels (two full words), scaled, bias', xShape: [2, 5, 5, 64], kernel: [3, 3, 6], exact: false },
  { ...base, name: '3x3 same, 40 channels (two words), stride 2x1', xShape: [2, 9, 8, 40], kernel: [3, 3, 5], strides: [2, 1] },
  { ...base, name: '5x5 valid, 64 channels, stride 2', xShape: [1, 11, 12, 64], kernel: [5, 5, 6], padding: 'valid', strides: [2, 2] },
  { ...base, name: '2x3 same, 70 channels (three words), pad -1', xShape: [1, 5, 7, 70], kernel: [2, 3, 3] },
  { ...base, name: 'folded BatchNorm, scaled, bias, 33 channels', xShape: [2, 6, 5, 33], kernel: [3, 3, 7], exact: false, folded: true },
  { ...base, name: 'fc6-like: kernel covers the input, scaled, bias', xShape: [2, 4, 4, 48], kernel: [4, 4, 9], padding: 'valid', exact: false },
  { ...base, name: '1x1, pad +1, scaled, bias', xShape: [3, 3, 3, 20], kernel: [1, 1, 8], padValue: 1, exact: false },
];

declare const compareXnor: (seed: number, cases: XnorCase[]) => Promise<XnorResult[]>;
declare const comparePackedModel: (seed: number) => Promise<{ float: number[]; cpu: number[]; webgpu: number[]; packed: string[] }>;

describe.skipIf(skipReason)(`XnorConv2D on webgpu in headless Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let server: PageServer;
  let browser: WebGpuBrowser;
  let results: XnorResult[];

  beforeAll(async () => {
    server = await servePage(await bundlePage(PAGE_DIR, []));
    browser = await openWebGpuPage(server.url);
    results = await browser.page.evaluate(([seed, cases]) => compareXnor(seed as number, cases as XnorCase[]), [20_261_126, CASES] as const);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a packed XNOR model (folded BatchNorms, padding -1, 32 and 64 channels) gives the same logits on webgpu as on cpu', async () => {
    const { float, cpu, webgpu, packed } = await browser.page.evaluate((seed) => comparePackedModel(seed), 7);
    expect(packed).toEqual(['conv2', 'conv3', 'fc6']);
    const scale = float.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const gap = (a: number[], b: number[]) => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]!)), 0) / scale;
    expect(float).toHaveLength(40);
    expect(scale).toBeGreaterThan(0);
    expect(gap(cpu, float), 'packed on cpu vs the float model').toBeLessThan(1e-4);
    expect(gap(webgpu, cpu), 'packed on webgpu vs cpu').toBeLessThan(1e-4);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_, i) => {
    const { cpu, webgpu, shape } = results[i]!;
    const c = CASES[i]!;
    expect(shape[3]).toBe(c.kernel[2]);
    expect(webgpu.length).toBe(cpu.length);
    expect(cpu.length).toBe(shape.reduce((a, b) => a * b, 1));
    expect(cpu.some((v) => v !== 0)).toBe(true);
    if (c.exact) {
      expect(webgpu).toEqual(cpu); // integer dot products: nothing to round
      return;
    }
    // count * alpha + bias: the cpu rounds once (float64, then float32), the GPU twice (or once with a fused
    // multiply-add), so an output may differ by an ulp of the largest
    const scale = cpu.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const diff = cpu.reduce((m, v, j) => Math.max(m, Math.abs(v - webgpu[j]!)), 0);
    expect(diff / scale).toBeLessThan(1e-6);
  });
});
