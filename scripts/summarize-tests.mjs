// Prints vitest's JSON report as one plain closing line, "tests: N passed, N failed, N skipped", after a list of
// every skipped test. A suite must not pass by skipping: in CI (CI=true) any skipped test is a failure (exit 1)
// unless its name carries "[not in CI: <why>]", saying why it cannot run anywhere in CI.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';

export const CI_EXEMPT = /\[not in CI: [^\]]+\]/;

/** The skipped (and todo) tests of a vitest JSON report: file and full name. */
export function skippedTests(report) {
  return (report.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? [])
      .filter((test) => test.status === 'pending' || test.status === 'skipped' || test.status === 'todo')
      .map((test) => ({ file: relative(process.cwd(), file.name ?? ''), name: test.fullName ?? test.title ?? '' })),
  );
}

/** The closing lines and the exit status the report and the environment call for. */
export function summarize(report, { ci = false } = {}) {
  const skipped = skippedTests(report);
  const lines = [];
  const refused = ci ? skipped.filter((test) => !CI_EXEMPT.test(test.name)) : [];
  if (skipped.length > 0) {
    lines.push(`SKIPPED ${skipped.length} test${skipped.length === 1 ? '' : 's'}${ci ? '' : ' (CI fails on these unless marked [not in CI: why])'}:`);
    for (const test of skipped) lines.push(`  - ${test.file} > ${test.name}${refused.includes(test) ? '   <- not allowed in CI' : ''}`);
  }
  const failed = report.numFailedTests ?? 0;
  const passed = report.numPassedTests ?? 0;
  lines.push(`tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped${refused.length ? ` (${refused.length} skips refused in CI)` : ''}`);
  return { lines, status: refused.length > 0 ? 1 : 0 };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const file = process.argv[2];
  if (!file || !existsSync(file)) {
    console.log('tests: 0 passed, 1 failed (no report written)');
    process.exit(1);
  }
  const { lines, status } = summarize(JSON.parse(readFileSync(file, 'utf8')), { ci: /^(1|true)$/i.test(process.env.CI ?? '') });
  for (const line of lines) console.log(line);
  process.exit(status);
}
