// A subscriber that appends every training event to a JSON Lines file (the run folder's metrics.jsonl).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Observer } from 'rxjs';
import type { TrainEvent } from './events.js';

export const METRICS_FILE = 'metrics.jsonl';

/** Path of the metrics log in a run folder. */
export function metricsFile(runDir: string): string {
  return join(runDir, METRICS_FILE);
}

/**
 * An Observer that appends each event as one JSON line to `file` (created with its folder if missing; a
 * resumed run appends, and its `start` event marks where it resumed). An error is logged as
 * `{"type":"error","message":...}` before it reaches other subscribers' handlers.
 */
export function jsonlLogger(file: string): Observer<TrainEvent> {
  mkdirSync(dirname(file), { recursive: true });
  // Synchronous appends keep lines whole and ordered even when the process is killed between events.
  const write = (record: object) => appendFileSync(file, `${JSON.stringify(record)}\n`);
  return {
    next: (event) => write(event),
    error: (error: unknown) =>
      write({ type: 'error', message: error instanceof Error ? error.message : String(error), name: (error as Error)?.name, time: new Date().toISOString() }),
    complete: () => {},
  };
}
