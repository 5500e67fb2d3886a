import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it('shows the quick-start example verbatim, and the example runs and writes a report', async () => {
    const example = readFileSync(join(packageDir, 'examples/quick-start.ts'), 'utf8');
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    expect(readme).toContain(example.trim());
    const { quickStart } = await import('../examples/quick-start.js');
    const dir = mkdtempSync(join(tmpdir(), 'viz-readme-'));
    try {
      const written: string[] = await quickStart(dir);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      for (const path of written.filter((p) => !p.endsWith('.html'))) {
        expect(existsSync(path)).toBe(true);
        expect(html).toContain(`src="${path.slice(dir.length + 1)}"`);
      }
      expect(written.length).toBeGreaterThan(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
