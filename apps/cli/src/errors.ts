// The CLI's errors: one class whose message is what the user reads, and the exit code it maps to.

/** Exit codes, as shells expect them. */
export const EXIT = {
  ok: 0,
  /** Something went wrong while running (bad input file, broken run folder, a library error). */
  failure: 1,
  /** The command line itself is wrong (unknown flag, bad value). */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** An error meant for the user: printed as `sketch-xnor: <message>` with no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A bad flag value or combination of flags (exit code 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** The text shown for any error: library errors already name files and reasons, so their message is kept. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
