// Runs the README's example as written, so the documented API stays true.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('README', () => {
  it('the example trains the toy model and reports its test accuracy', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the README has a ts block under "## Example"').toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'trainer-readme-')), 'example.ts');
    writeFileSync(file, example!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      const printed = log.mock.calls.map((args) => args.join(' ')).join('\n');
      const match = /done after 30 steps: test top-1 ([\d.]+)%/.exec(printed);
      expect(match, printed).not.toBeNull();
      expect(Number(match![1])).toBeGreaterThanOrEqual(90);
    } finally {
      log.mockRestore();
    }
  });
});
