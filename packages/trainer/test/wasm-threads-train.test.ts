// Training with the wasm backend on several threads (useBackend('wasm', { threads })): the thread count does not
// change the numbers, so a seed gives byte-identical weights on 1 and 2 threads, every time, and a run resumed on
// another thread count ends where the uninterrupted run ends. Each thread count runs in a child process
// (test/threads/child.ts): wasm reads it once per process.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./threads/child.ts', import.meta.url));

interface Trained {
  threads: number;
  weights: string;
  backend: string;
}

function trainIn(runDir: string, threads: number, epochs: number, resume = false): Promise<Trained> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', child],
      { env: { ...process.env, THREADS: String(threads), EPOCHS: String(epochs), RUN_DIR: runDir, RESUME: resume ? '1' : '0' }, timeout: 170_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`training on ${threads} threads failed: ${err.message}\n${stderr.slice(-3000)}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Trained);
      },
    );
  });
}

describe('training on wasm threads', () => {
  it('gives byte-identical weights for a seed on 1 and 2 threads, twice, and resumes exactly on another thread count', async () => {
    const root = mkdtempSync(join(tmpdir(), 'threads-train-'));
    try {
      const dir = (name: string) => join(root, name);
      const one = await trainIn(dir('one'), 1, 2);
      const two = await trainIn(dir('two'), 2, 2);
      const twoAgain = await trainIn(dir('two-again'), 2, 2);
      expect([one.backend, one.threads, two.threads]).toEqual(['wasm', 1, 2]);
      expect(two.weights).toBe(one.weights);
      expect(twoAgain.weights).toBe(two.weights);
      // one epoch on 1 thread, then the second resumed from its checkpoint on 2
      const first = await trainIn(dir('resumed'), 1, 1);
      expect(first.weights).not.toBe(one.weights);
      const resumed = await trainIn(dir('resumed'), 2, 2, true);
      expect(resumed.threads).toBe(2);
      expect(resumed.weights).toBe(one.weights);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
