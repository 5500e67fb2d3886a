// Preparing batches on the consumer's thread: what every platform can do (the Node build adds worker threads).
import { assembleBatch, type BatchSetup } from './assemble.js';
import type { SamplePipeline } from './pipeline.js';
import type { BatchJob } from './plan.js';

export interface BatchRunner {
  run(job: BatchJob): Promise<Float32Array>;
  /** Worker threads in use (0 = in-process). */
  readonly workers: number;
  /** Why fewer workers run than were asked for, if so. */
  readonly note?: string;
  close(): Promise<void>;
}

export function checkWorkerCount(workers: number): void {
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`workers must be an integer >= 0, got ${workers}`);
}

export function inProcessRunner(pipeline: () => Promise<SamplePipeline>, setup: BatchSetup, note?: string): BatchRunner {
  return {
    workers: 0,
    note,
    run: async (job) => assembleBatch(await pipeline(), setup, job),
    close: async () => {},
  };
}
