import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it('shows the quick-start example verbatim, and the example runs as its comments say', async () => {
    const example = readFileSync(join(packageDir, 'examples/quick-start.ts'), 'utf8');
    expect(readFileSync(join(packageDir, 'README.md'), 'utf8')).toContain(example.trim());
    const { quickStart } = await import('../examples/quick-start.js');
    const dir = mkdtempSync(join(tmpdir(), 'models-readme-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const { report, info, probabilities, ratio, packedShape } = await quickStart(dir);
      expect(log.mock.calls[0]![0]).toEqual(['sketch-a-net', 'sketch-a-net-bwn', 'sketch-a-net-xnor']);
      expect(report.copied).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8']);
      expect(report.skipped.map((s: { layer: string }) => s.layer)).toEqual(['bn_conv2', 'bn_conv3', 'bn_conv4', 'bn_conv5', 'bn_fc6', 'bn_fc7', 'bn_fc8']);
      expect(info.classes).toEqual(['cat', 'house', 'tree']);
      const { buildModel } = await import('@sketch-xnor/models');
      expect(buildModel('sketch-a-net', info.options).countParams()).toBe(625_411);
      expect(probabilities).toHaveLength(3);
      expect(probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
      expect(readdirSync(join(dir, 'vanilla')).sort()).toEqual(['model.json', 'run.json', 'weights.bin']);
      expect(readdirSync(join(dir, 'xnor')).sort()).toEqual(['model.json', 'weights.bin']);
      // conv2..fc7 packed to bits: far smaller than the float model, and it still predicts the 3 classes
      expect(ratio).toBeGreaterThan(10);
      expect(log.mock.calls.at(-1)![0]).toBe(`bundle ${ratio.toFixed(1)}x smaller than the float model`);
      expect(packedShape).toEqual([1, 3]);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
