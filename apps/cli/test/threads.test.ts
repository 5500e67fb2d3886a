// `train --threads`: the wasm backend on several threads gives the very same run as on one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-process.js';

const root = tempDir('threads');
const train = (out: string, ...more: string[]) =>
  runCli(['train', '--per-category', '6', '--epochs', '1', '--size', '84', '--width', '0.25', '--seed', '2', '--out', out, '--no-progress', ...more]);

describe('sketch-xnor train --threads', () => {
  it('trains byte-identical weights on 1 and 2 threads, and says how many it runs on', async () => {
    const [one, two] = await Promise.all([train(join(root, 'one'), '--threads', '1'), train(join(root, 'two'), '--threads', '2')]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(one.stderr).toMatch(/backend wasm \(1 thread\)/);
    expect(two.stderr).toMatch(/backend wasm \(2 threads\)/);
    expect(readFileSync(join(root, 'two', 'weights.bin')).equals(readFileSync(join(root, 'one', 'weights.bin')))).toBe(true);
  });

  it('refuses a count that is not a positive integer', async () => {
    const result = await train(join(root, 'bad'), '--threads', '0');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--threads/);
  });
});
