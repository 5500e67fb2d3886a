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

/**
 * Names a package's src/index.ts exports (values and types), from its `export { ... } from` lists, following
 * `export * from './module.js'` into the package's own modules (e.g. the portable part both faces share).
 */
function exportedNames(dir: string, file = 'index.ts'): Set<string> {
  const index = readFileSync(join(repoRoot, 'packages', dir, 'src', file), 'utf8');
  const names = new Set<string>();
  for (const [, module] of index.matchAll(/export\s+\*\s+from\s+'\.\/([\w/-]+)\.js'/g)) {
    for (const name of exportedNames(dir, `${module}.ts`)) names.add(name);
  }
  for (const [, list] of index.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of list!.split(',')) {
      const name = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/).at(-1)!.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/** Identifiers in backticks in the last column of the table rows of the README's `## API` section. */
function documentedNames(dir: string): Set<string> {
  const readme = readFileSync(join(repoRoot, 'packages', dir, 'README.md'), 'utf8');
  const section = /\n## API\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  const lastCells = rows.map((row) => row.split('|').at(-2) ?? '');
  return new Set(lastCells.flatMap((cell) => [...cell.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!)));
}

describe.each(['data'])('packages/%s README', (dir) => {
  it('its API table names every export of src/index.ts, and nothing else', () => {
    const exported = exportedNames(dir);
    const documented = documentedNames(dir);
    expect(exported.size).toBeGreaterThan(10);
    expect([...exported].filter((name) => !documented.has(name)), `exported but missing from the API table of packages/${dir}/README.md`).toEqual([]);
    expect([...documented].filter((name) => !exported.has(name)), `in the API table of packages/${dir}/README.md but not exported`).toEqual([]);
  });
});
