// Runs the README's batch-stream example as written (on the real Quick, Draw! files), so the documented API stays true.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quickDrawDir } from './shared-data.js';

describe('README: the batch stream', () => {
  it('the example loads, splits and streams real sketches', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /### The batch stream[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'a ts block under "### The batch stream"').toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'data-readme-')), 'stream-example.ts');
    writeFileSync(file, example!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.stubEnv('QUICKDRAW_DIR', quickDrawDir);
    try {
      await import(/* @vite-ignore */ file);
      const printed = log.mock.calls.map((args) => args.join(' '));
      // 2 categories x 300 training sketches in batches of 32: 19 per epoch; the example stops after batch 2.
      expect(printed).toEqual([0, 1, 2].map((batch) => `epoch 0 batch ${batch}/19: 32 x 225x225x1`));
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
