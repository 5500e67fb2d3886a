// What the person draws: strokes in drawing order, as pointer events arrive. Pure state, no DOM, so it is tested
// directly; the page feeds it pointer positions in canvas pixels.

export interface DrawnStroke {
  xs: number[];
  ys: number[];
  ts: number[];
}

export class StrokeRecorder {
  private readonly done: DrawnStroke[] = [];
  private current: DrawnStroke | null = null;

  /** A pointer went down: a new stroke starts. */
  begin(x: number, y: number, t: number): void {
    this.current = { xs: [x], ys: [y], ts: [t] };
  }

  /** The pointer moved while down; points closer than `minStep` pixels to the last are dropped. */
  extend(x: number, y: number, t: number, minStep = 1): boolean {
    const s = this.current;
    if (!s) return false;
    const dx = x - s.xs[s.xs.length - 1]!;
    const dy = y - s.ys[s.ys.length - 1]!;
    if (dx * dx + dy * dy < minStep * minStep) return false;
    s.xs.push(x);
    s.ys.push(y);
    s.ts.push(t);
    return true;
  }

  /** The pointer went up: the stroke is kept (a tap becomes a dot). */
  end(): void {
    if (this.current) this.done.push(this.current);
    this.current = null;
  }

  undo(): void {
    if (this.current) this.current = null;
    else this.done.pop();
  }

  clear(): void {
    this.done.length = 0;
    this.current = null;
  }

  get drawing(): boolean {
    return this.current !== null;
  }

  /** Finished strokes plus the one being drawn. */
  strokes(): DrawnStroke[] {
    return this.current ? [...this.done, this.current] : [...this.done];
  }

  get isEmpty(): boolean {
    return this.done.length === 0 && !this.current;
  }
}

/** Calls `fn` once `ms` after the last call; `flush` runs a pending call now. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const run = () => {
    timer = undefined;
    if (pending) {
      const args = pending;
      pending = undefined;
      fn(...args);
    }
  };
  const call = (...args: A) => {
    pending = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  call.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };
  call.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  return call;
}

/** The k best classes of a score vector, best first. */
export function topK(scores: ArrayLike<number>, labels: readonly string[], k = 5): Array<{ label: string; score: number }> {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  return order.slice(0, k).map((i) => ({ label: labels[i] ?? `class ${i}`, score: scores[i]! }));
}

/** Bytes as a short human figure. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
