// Skipped input (bad lines, broken SVGs, unreadable PNGs): counted and the first few listed, never silent.
import type { InputProblem } from '@sketch-xnor/data';

const LISTED = 5;

export function describeProblem(problem: InputProblem): string {
  return `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.reason}`;
}

export function reportProblems(problems: readonly InputProblem[], log: (line: string) => void): void {
  if (problems.length === 0) return;
  log(`skipped ${problems.length} bad sketch${problems.length === 1 ? '' : 'es'}:`);
  for (const problem of problems.slice(0, LISTED)) log(`  ${describeProblem(problem)}`);
  if (problems.length > LISTED) log(`  ... and ${problems.length - LISTED} more`);
}
