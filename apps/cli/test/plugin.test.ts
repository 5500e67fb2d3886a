// --plugin: a scheme registered by a package outside binary-ops (examples/ternary-weights) trains by name,
// and its saved model loads again only where the plugin is loaded, with a clear error otherwise.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli, tempDir } from './cli-process.js';

const plugin = join(repoRoot, 'examples/ternary-weights/dist/index.js');

describe('sketch-xnor --plugin', () => {
  // the test command builds every workspace first; run alone, the example is built here rather than skipped
  beforeAll(() => {
    if (!existsSync(plugin)) execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(repoRoot, 'examples/ternary-weights/tsconfig.json')]);
  });

  it('trains a model that uses a plugin scheme by name; eval needs the plugin too', async () => {
    const out = join(tempDir('cli-plugin-'), 'run');
    const train = await runCli([
      'train', '--plugin', plugin, '--model', 'sketch-a-net-bwn', '--kernel-quantizer', 'ternary-weights',
      '--per-category', '20', '--epochs', '1', '--size', '81', '--width', '0.25', '--out', out, '--no-progress',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const topology = readFileSync(join(out, 'model.json'), 'utf8');
    expect(topology).toContain('"ternary-weights"');
    const without = await runCli(['eval', '--run', out]);
    expect(without.code).not.toBe(0);
    expect(without.stderr).toMatch(/Unknown quantizer "ternary-weights"/);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).plugins).toEqual([plugin]);
    expect(without.stderr).toContain(`the run was trained with --plugin ${plugin}; load it again, e.g. sketch-xnor --plugin ${plugin} eval --run ${out}`);
    const withPlugin = await runCli(['--plugin', plugin, 'eval', '--run', out]);
    expect(withPlugin.code, withPlugin.stderr).toBe(0);
    expect(withPlugin.stdout).toMatch(/top-1: \d+\.\d%/);
  });

  it('names a plugin that cannot be loaded or registers nothing', async () => {
    const missing = await runCli(['train', '--plugin', './no-such-plugin.js', '--out', join(tempDir('cli-plugin-'), 'r')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--plugin \.\/no-such-plugin\.js: cannot load it/);
    const notAPlugin = await runCli(['train', '--plugin', join(repoRoot, 'apps/cli/dist/errors.js'), '--out', join(tempDir('cli-plugin-'), 'r')]);
    expect(notAPlugin.stderr).toMatch(/exports no register\(\) function/);
  });
});
