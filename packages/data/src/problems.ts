// Bad input is never silently dropped: a reader reports every skipped record here (file, line, reason). By
// default the record is skipped and the problem kept for the caller to count and list; in strict mode the first
// one throws.
import type { InputProblem } from './types.js';

/** Thrown in strict mode (and for input that cannot be read at all): names the file, the line and the reason. */
export class InputError extends Error {
  override name = 'InputError';
  readonly problem: InputProblem;

  constructor(problem: InputProblem, options?: { cause?: unknown }) {
    super(describeInputProblem(problem), options);
    this.problem = problem;
  }
}

/** `file:line: reason` (or `file: reason` for whole files). */
export function describeInputProblem(problem: InputProblem): string {
  return `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.reason}`;
}

export interface ProblemLog {
  /** Every problem reported so far, in reading order. */
  readonly problems: InputProblem[];
  /** Records a skipped input; throws an `InputError` instead in strict mode. */
  report(problem: InputProblem): void;
}

export function createProblemLog(strict: boolean): ProblemLog {
  const problems: InputProblem[] = [];
  return {
    problems,
    report(problem) {
      if (strict) throw new InputError(problem);
      problems.push(problem);
    },
  };
}
