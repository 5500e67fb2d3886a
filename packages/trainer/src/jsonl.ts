// A subscriber that appends every training event to a JSON Lines file (the run folder's metrics.jsonl).
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Observer } from 'rxjs';
import type { TrainEvent } from './events.js';

export const METRICS_FILE = 'metrics.jsonl';

/** Path of the metrics log in a run folder. */
export function metricsFile(runDir: string): string {
  return join(runDir, METRICS_FILE);
}

/** Whether `file` ends in the middle of a line: the last write before a crash (or a full disk) was cut off. */
function endsInTornLine(file: string): boolean {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return false; // no log yet
  }
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, last, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  return last[0] !== 0x0a;
}

/**
 * An Observer that appends each event as one JSON line to `file` (created with its folder if missing; a
 * resumed run appends, and its `start` event marks where it resumed; after a line torn by a crash it starts a new
 * line, so the torn one stays alone and readers can skip it). An error is logged as
 * `{"type":"error","message":...}` before it reaches other subscribers' handlers.
 */
export function jsonlLogger(file: string): Observer<TrainEvent> {
  mkdirSync(dirname(file), { recursive: true });
  if (endsInTornLine(file)) appendFileSync(file, '\n');
  // Synchronous appends keep lines whole and ordered even when the process is killed between events.
  const write = (record: object) => appendFileSync(file, `${JSON.stringify(record)}\n`);
  return {
    next: (event) => write(event),
    error: (error: unknown) =>
      write({ type: 'error', message: error instanceof Error ? error.message : String(error), name: (error as Error)?.name, time: new Date().toISOString() }),
    complete: () => {},
  };
}
