// Runs the README's example as written, so the documented API stays true.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('README', () => {
  it('the example builds, saves, initializes, packs and loads models', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the README has a ts block under "## Example"').toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'models-readme-')), 'example.ts');
    writeFileSync(file, example!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      const printed = log.mock.calls.map((args) => args.join(' '));
      expect(printed[0]).toBe('sketch-a-net, sketch-a-net-bwn, sketch-a-net-xnor');
      expect(printed[1]).toBe('copied 8 layers');
      expect(Number(/bundle ([\d.]+)x smaller/.exec(printed[2]!)?.[1])).toBeGreaterThan(10);
      expect(['cat', 'dog', 'fish']).toContain(printed[3]);
      expect(printed[4]).toBe('sketch-a-net');
    } finally {
      log.mockRestore();
    }
  });
});
