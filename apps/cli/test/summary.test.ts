// `sketch-xnor summary` and `--version`, through the built CLI: a small XNOR run and its packed bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from './cli-process.js';

const root = tempDir('summary');
const run = join(root, 'xnor');
const bundle = join(root, 'xnor-bundle');

beforeAll(async () => {
  const train = await runCli(['train', '--model', 'sketch-a-net-xnor', '--per-category', '4', '--epochs', '1', '--max-steps', '1', '--size', '84', '--width', '0.25', '--out', run, '--no-progress']);
  expect(train.code, train.stderr).toBe(0);
  const exported = await runCli(['export', '--run', run, '--out', bundle]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stderr).not.toMatch(/warning/);
});

describe('sketch-xnor export of a float run', () => {
  it('warns that nothing is binarized, and says what to train instead', async () => {
    const vanilla = join(root, 'vanilla');
    const train = await runCli(['train', '--per-category', '4', '--epochs', '1', '--max-steps', '1', '--size', '84', '--width', '0.25', '--out', vanilla, '--no-progress']);
    expect(train.code, train.stderr).toBe(0);
    const exported = await runCli(['export', '--run', vanilla, '--out', join(root, 'vanilla-bundle')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`warning: ${vanilla} (sketch-a-net) has no binarized layer, so nothing was packed to 1 bit`);
    expect(exported.stderr).toMatch(/Train a sketch-a-net-bwn or sketch-a-net-xnor run \(e\.g\. --init /);
  });
});

describe('sketch-xnor summary', () => {
  it('prints one row per layer and the totals, for a run and its bundle alike', async () => {
    const text = await runCli(['summary', '--run', run]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(run);
    expect(lines[1]).toMatch(/^sketch-a-net-xnor: [\d,]+ parameters \([\d,]+ of them 1-bit\)$/);
    expect(lines.some((l) => /^conv3\s+QuantConv2D\s+\S+\s+1\s+1\s/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('total '))).toBe(true);

    const [fromRun, fromBundle] = await Promise.all([run, bundle].map(async (where) => JSON.parse((await runCli(['summary', '--run', where, '--json'])).stdout)));
    expect(fromRun.totals.params1).toBeGreaterThan(0);
    expect(fromBundle.totals.params1).toBe(fromRun.totals.params1);
    expect(fromBundle.totals.binaryMacs).toBe(fromRun.totals.binaryMacs);
    expect(fromBundle.layers.find((l: { name: string }) => l.name === 'conv3').type).toBe('PackedConv2D');
  });

  it('names a folder that is not a run', async () => {
    const result = await runCli(['summary', '--run', join(root, 'nothing')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(join(root, 'nothing'));
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('sketch-xnor --version', () => {
  it("prints the CLI package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });
});
