// What a screen reader hears: not every top-5 update while the finger moves (the panels are not live regions), but
// one polite announcement when a stroke ends and both models have answered for it, at most one per interval.
import type { Prediction } from './protocol.js';
import { formatPercent } from './settings.js';

/** "Float: cat 81%, dog 6%; binary: cat 74%, dog 9%" (the first two of each top-5). */
export function announcementText(results: { float?: Prediction[]; binary?: Prediction[] }): string {
  const side = (name: string, top: Prediction[] | undefined) =>
    top && top.length > 0 ? `${name}: ${top.slice(0, 2).map((p) => `${p.label} ${formatPercent(p.score)}`).join(', ')}` : undefined;
  return [side('Float', results.float), side('binary', results.binary)].filter(Boolean).join('; ');
}

export interface Announcer {
  /** Says `text` now, or at the end of the current interval when one was said less than an interval ago. */
  say(text: string): void;
  /** Forgets a text waiting for its turn (the drawing was cleared). */
  cancel(): void;
  /** While the finger is down nothing is said; what waits is said when it lifts (resume). */
  pause(): void;
  resume(): void;
}

/** A throttle for a live region: repeats are dropped, and the newest text waits for the interval to pass. */
export function createAnnouncer(
  write: (text: string) => void,
  intervalMs = 1000,
  clock: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void } = {
    now: () => performance.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): Announcer {
  let last = '';
  let lastAt = -Infinity;
  let timer: unknown;
  let waiting: string | undefined;
  let paused = false;
  const flush = () => {
    timer = undefined;
    if (waiting === undefined || paused) return;
    const text = waiting;
    waiting = undefined;
    if (text === last) return;
    last = text;
    lastAt = clock.now();
    write(text);
  };
  const schedule = () => {
    if (timer !== undefined || paused) return; // goes out when the interval ends / the finger lifts
    const wait = lastAt + intervalMs - clock.now();
    if (wait <= 0) flush();
    else timer = clock.setTimeout(flush, wait);
  };
  return {
    say(text) {
      if (!text) return;
      waiting = text;
      schedule();
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      if (waiting !== undefined) schedule();
    },
    cancel() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      waiting = undefined;
      last = ''; // the same answer for a new drawing is news again
    },
  };
}
