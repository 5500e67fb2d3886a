import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const publishable = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .concat([join(root, 'apps', 'cli')])
  .filter((dir) => existsSync(join(dir, 'package.json')));

describe('published packages', () => {
  it.each(publishable)('%s is publint --strict clean', async (dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(existsSync(join(dir, 'dist')), `${pkg.name} is built (run the build first)`).toBe(true);
    const { messages } = await publint({ pkgDir: dir, strict: true, level: 'suggestion' });
    const text = messages.map((m) => formatMessage(m, pkg) ?? m.code);
    expect(text, `${pkg.name}`).toEqual([]);
  });

  it.each(publishable)('%s has one public face, a README and declared side effects', (dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toMatch(/^@sketch-xnor\//);
    expect(pkg.sideEffects, 'sideEffects is declared').toBeDefined();
    expect(pkg.files, 'files is declared').toBeDefined();
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    if (pkg.exports['.']) {
      expect(pkg.exports['.'].types).toBe('./dist/index.d.ts');
      expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
    }
  });
});
