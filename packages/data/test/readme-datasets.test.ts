// Runs the README's dataset and random-number examples as written (on the real Quick, Draw! files).
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quickDrawDir } from './shared-data.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Runs the first ts block under `heading` and returns what it logged. */
async function runExample(heading: string): Promise<string[]> {
  const example = new RegExp(`## ${heading}\\n[\\s\\S]*?\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  expect(example, `a ts block under "## ${heading}"`).toBeDefined();
  const file = join(mkdtempSync(join(tmpdir(), 'data-readme-')), `${heading.replace(/\W+/g, '-')}.ts`);
  writeFileSync(file, example!);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.stubEnv('QUICKDRAW_DIR', quickDrawDir);
  try {
    await import(/* @vite-ignore */ file);
    expect(warn).not.toHaveBeenCalled();
    return log.mock.calls.map((args) => args.join(' '));
  } finally {
    log.mockRestore();
    warn.mockRestore();
    vi.unstubAllEnvs();
  }
}

describe('README examples', () => {
  it('opens Quick, Draw! and the synthetic set as documented', async () => {
    const firstTwo = (category: string) =>
      readFileSync(join(quickDrawDir, `${category}.ndjson`), 'utf8')
        .split('\n')
        .slice(0, 2)
        .map((line) => JSON.parse(line) as { key_id: string; drawing: unknown[] })
        .map(({ key_id, drawing }) => `${category} ${key_id}: ${drawing.length} strokes`);
    const printed = await runExample('Datasets and readers');
    expect(printed.slice(0, 4)).toEqual([...firstTwo('cat'), ...firstTwo('The Eiffel Tower')]);
    expect(printed[4]).toMatch(/^synthetic: circle, square, triangle, star, spiral, zigzag, cross, house/);
  });

  it('resumes the random generator from its saved state', async () => {
    expect(await runExample('Random numbers')).toEqual(['true']);
  });
});
