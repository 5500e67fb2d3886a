// The test command's closing summary: skipped tests are listed, and in CI a skip fails the run unless the test
// says why it cannot run anywhere in CI.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from '../scripts/summarize-tests.mjs';

const script = fileURLToPath(new URL('../scripts/summarize-tests.mjs', import.meta.url));
const report = (names: Array<[string, string]>) => ({
  numPassedTests: 3,
  numFailedTests: 0,
  testResults: [
    {
      name: join(process.cwd(), 'packages/x/test/a.test.ts'),
      assertionResults: [
        { status: 'passed', fullName: 'a works' },
        ...names.map(([status, fullName]) => ({ status, fullName })),
      ],
    },
  ],
});

function runScript(value: unknown, ci: boolean): { status: number; stdout: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'vitest.json');
  writeFileSync(file, JSON.stringify(value));
  try {
    return { status: 0, stdout: execFileSync(process.execPath, [script, file], { env: { ...process.env, CI: ci ? 'true' : '' }, encoding: 'utf8' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { status: e.status, stdout: e.stdout };
  }
}

describe('summarize-tests', () => {
  it('lists every skipped test loudly and passes outside CI', () => {
    const { lines, status } = summarize(report([['skipped', 'webgpu page (skipped: no chromium)'], ['todo', 'later']]));
    expect(status).toBe(0);
    expect(lines[0]).toMatch(/^SKIPPED 2 tests/);
    expect(lines).toContain('  - packages/x/test/a.test.ts > webgpu page (skipped: no chromium)');
    expect(lines.at(-1)).toBe('tests: 3 passed, 0 failed, 2 skipped');
  });

  it('in CI a skip fails the run, unless the test is marked [not in CI: why]', () => {
    const refused = summarize(report([['skipped', 'webgpu page (skipped: no chromium)']]), { ci: true });
    expect(refused.status).toBe(1);
    expect(refused.lines.at(-1)).toBe('tests: 3 passed, 0 failed, 1 skipped (1 skips refused in CI)');
    expect(refused.lines.join('\n')).toMatch(/no chromium\)\s+<- not allowed in CI/);
    const exempt = summarize(report([['skipped', 'real GPU timing [not in CI: CI machines have no GPU]']]), { ci: true });
    expect(exempt.status).toBe(0);
    expect(summarize(report([]), { ci: true })).toEqual({ lines: ['tests: 3 passed, 0 failed, 0 skipped'], status: 0 });
  });

  it('as a script: exit status 1 for a skip in CI (CI=true), 0 elsewhere, and 1 without a report', () => {
    const skipped = report([['pending', 'consumer checks (skipped: registry unreachable)']]);
    expect(runScript(skipped, true).status).toBe(1);
    const local = runScript(skipped, false);
    expect(local.status).toBe(0);
    expect(local.stdout).toContain('SKIPPED 1 test (CI fails on these unless marked [not in CI: why]):');
    let status = 0;
    try {
      execFileSync(process.execPath, [script, '/nonexistent/vitest.json'], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
  });
});
