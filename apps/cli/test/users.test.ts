// What a user should be told: a --per-category above what the data files hold is a note, not a silent cut.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sharedData, tempDir } from './cli-process.js';

describe('sketch-xnor train --per-category', () => {
  it('says which categories hold fewer sketches than asked for, and trains on all of theirs', async () => {
    const out = join(tempDir('per-category'), 'run');
    const data = join(sharedData, 'quickdraw-345');
    const result = await runCli([
      'train', '--dataset', 'quickdraw', '--data', data, '--categories', 'cat,fish', '--per-category', '5000',
      '--max-steps', '1', '--size', '84', '--width', '0.25', '--out', out, '--no-progress',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`--per-category 5000: 2 of 2 categories in ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} hold fewer sketches \\("cat" has \\d{3}, "fish" has \\d{3}\\); all of theirs are used`));
    const quiet = await runCli([
      'train', '--dataset', 'quickdraw', '--data', data, '--categories', 'cat,fish', '--per-category', '50',
      '--max-steps', '1', '--size', '84', '--width', '0.25', '--out', `${out}-50`, '--no-progress',
    ]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('--per-category');
  });
});

describe('runs/latest', () => {
  it('follows a run trained with --out inside runs/, not one trained elsewhere', async () => {
    const cwd = tempDir('latest');
    const train = (out: string) =>
      runCli(['train', '--per-category', '4', '--epochs', '1', '--max-steps', '1', '--size', '84', '--width', '0.25', '--out', out, '--no-progress'], { cwd });
    const inside = await train('runs/qd');
    expect(inside.code, inside.stderr).toBe(0);
    expect(inside.stdout).toContain('run folder: runs/qd (also runs/latest)');
    expect(readlinkSync(join(cwd, 'runs/latest'))).toBe('qd');
    const elsewhere = await train(join(cwd, 'elsewhere'));
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(readlinkSync(join(cwd, 'runs/latest'))).toBe('qd');
    // eval with no --run evaluates the newest run in runs/
    const evaluated = await runCli(['eval', '--json'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).run).toBe('runs/latest');
  });
});
