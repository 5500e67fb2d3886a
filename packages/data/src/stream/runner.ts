// Runs batch jobs in a pool of worker threads (piscina), or in-process when asked for 0 workers or when no
// runnable worker is found. Built package: dist/stream/worker.js next to this module. From TypeScript source
// (tests, tsx): worker.ts, loaded through tsx when it is installed.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { assembleBatch, type PipelineSetup } from './assemble.js';
import { loadPipeline, siblingModule } from './pipeline.js';
import type { BatchJob } from './plan.js';

export interface BatchRunner {
  run(job: BatchJob): Promise<Float32Array>;
  /** Worker threads in use (0 = in-process). */
  readonly workers: number;
  /** Why fewer workers run than were asked for, if so. */
  readonly note?: string;
  close(): Promise<void>;
}

export function createBatchRunner(setup: PipelineSetup, workers: number): BatchRunner {
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`workers must be an integer >= 0, got ${workers}`);
  if (workers === 0) return inProcessRunner(setup);
  const entry = siblingModule('./worker');
  if (!entry) return inProcessRunner(setup, `no worker file next to ${fileURLToPath(import.meta.url)}; running in-process instead of ${workers} worker thread(s)`);
  const execArgv: string[] = [];
  if (entry.source || setup.pipeline.endsWith('.ts')) {
    const loader = typeScriptLoader();
    if (!loader) {
      return inProcessRunner(setup, `worker threads need JavaScript and tsx is not installed to load TypeScript (build the package: npx nx run data:build); running in-process instead of ${workers} worker thread(s)`);
    }
    execArgv.push('--import', loader);
  }
  const pool = new Piscina({ filename: entry.url, workerData: setup, minThreads: workers, maxThreads: workers, idleTimeout: Infinity, execArgv });
  const inFlight = new Set<Promise<unknown>>();
  return {
    workers,
    run(job) {
      const result = pool.run(job) as Promise<Float32Array>;
      const settled: Promise<unknown> = result.then(
        () => inFlight.delete(settled),
        () => inFlight.delete(settled),
      );
      inFlight.add(settled);
      return result;
    },
    // Batches still being prepared (a consumer that stopped early) finish first: piscina fails on answers
    // that arrive after destroy().
    async close() {
      await Promise.all(inFlight);
      await pool.destroy();
    },
  };
}

function inProcessRunner(setup: PipelineSetup, note?: string): BatchRunner {
  return {
    workers: 0,
    note,
    run: async (job) => assembleBatch(await loadPipeline(setup.pipeline), setup, job),
    close: async () => {},
  };
}

/** tsx's ESM loader, for worker threads that must run TypeScript source. */
function typeScriptLoader(): string | undefined {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return undefined;
  }
}
