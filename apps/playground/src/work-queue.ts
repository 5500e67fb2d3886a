// Runs async jobs one at a time in arrival order, except that a waiting job marked replaceable (a prediction) is
// dropped when a newer replaceable one arrives: while drawing, only the latest strokes are worth classifying.

export interface WorkQueue<T> {
  push(job: T): void;
  /** Resolves once every job pushed so far has run. */
  idle(): Promise<void>;
}

export function createWorkQueue<T>(run: (job: T) => Promise<void>, replaceable: (job: T) => boolean): WorkQueue<T> {
  const waiting: T[] = [];
  let running: Promise<void> | undefined;

  const drain = async () => {
    for (let job = waiting.shift(); job !== undefined; job = waiting.shift()) await run(job);
    running = undefined;
  };

  return {
    push(job) {
      if (replaceable(job)) {
        const stale = waiting.findIndex(replaceable);
        if (stale >= 0) waiting.splice(stale, 1);
      }
      waiting.push(job);
      running ??= drain();
    },
    async idle() {
      while (running) await running;
    },
  };
}
