// Bundle size budgets of the browser-facing packages (.size-limit.js at the repo root): size-limit bundles each
// entry with esbuild, minifies and brotli-compresses it; a size past its limit fails here.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildIfMissing, repoRoot } from '../../scripts/packages.mjs';

const run = promisify(execFile);
const browserFacing = ['registry', 'binary-ops', 'data', 'models', 'backends'].map((dir) => `@sketch-xnor/${dir}`);

interface SizeReport {
  name: string;
  passed: boolean;
  size: number;
  sizeLimit: number;
}

describe('bundle size', () => {
  it('each browser-facing package stays within its size-limit budget', async () => {
    buildIfMissing();
    // size-limit exits non-zero when a limit is exceeded, still printing its JSON report.
    const stdout = await run(process.execPath, [join(repoRoot, 'node_modules/size-limit/bin.js'), '--json'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }).then(
      (result) => result.stdout,
      (error: { stdout?: string; stderr?: string }) => {
        if (!error.stdout?.trim().startsWith('[')) throw new Error(`size-limit failed:\n${error.stderr ?? error}`);
        return error.stdout;
      },
    );
    const reports = JSON.parse(stdout) as SizeReport[];
    for (const pkg of browserFacing) expect(reports.map((r) => r.name), `${pkg} has a budget`).toContain(pkg);
    const over = reports.filter((r) => !r.passed).map((r) => `${r.name}: ${r.size} B > limit ${r.sizeLimit} B (raise it in .size-limit.js only on purpose)`);
    expect(over).toEqual([]);
    for (const report of reports) expect(report.size, report.name).toBeGreaterThan(0);
  });
});
