// What a user should be told: a --per-category above what the data files hold is a note, not a silent cut.
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
