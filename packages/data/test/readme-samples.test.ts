// Runs the README's "Training samples and test views" example as written, so the documented API stays true.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

describe('README: training samples and test views', () => {
  it('the example rasterizes a synthetic sketch, prepares a training sample and the 10 test views', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Training samples and test views[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'a ts block under "## Training samples and test views"').toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'data-readme-')), 'samples-example.ts');
    writeFileSync(file, example!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      const printed = log.mock.calls.map((args) => args.join(' '));
      expect(printed).toHaveLength(2);
      expect(printed[0]).toMatch(/^house: [2-9] strokes -> 64x64 image$/);
      expect(printed[1]).toBe('train sample: 151875 values (225 x 225 x 3); test views: 10');
    } finally {
      log.mockRestore();
    }
  });
});
