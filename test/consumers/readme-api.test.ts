// The `## API` examples of package READMEs run as written: each `console.log(x); // shown` line must print what
// its comment says (Node's inspect format), so the documented output cannot drift from the code.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { repoRoot } from '../../scripts/packages.mjs';

/** The first ts block under `## API` of a package README. */
function apiExample(dir: string): string {
  const readme = readFileSync(join(repoRoot, 'packages', dir, 'README.md'), 'utf8');
  const block = /\n## API\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error(`packages/${dir}/README.md has no ts example under "## API"`);
  return block;
}

/** The comments after `console.log(...);` in order: what the README promises will be printed. */
const promisedOutput = (code: string) => [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]!.trim());

describe.each(['registry'])('packages/%s README', (dir) => {
  it('runs its API example and prints what the comments say', async () => {
    const code = apiExample(dir);
    const promised = promisedOutput(code);
    expect(promised.length).toBeGreaterThan(0);
    const file = join(mkdtempSync(join(tmpdir(), `readme-${dir}-`)), 'example.ts');
    writeFileSync(file, code);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      const printed = log.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : inspect(a, { breakLength: Infinity }))).join(' '));
      expect(printed).toEqual(promised);
    } finally {
      log.mockRestore();
    }
  });
});
