// Runs batch jobs in a pool of worker threads (piscina), or in-process when asked for 0 workers or when no
// runnable worker is found. Built package: dist/stream/worker.js next to this module. From TypeScript source
// (tests, tsx): worker.ts, loaded through tsx when it is installed.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { PipelineSetup } from './assemble.js';
import { checkWorkerCount, inProcessRunner, type BatchRunner } from './in-process.js';
import { loadPipeline } from './pipeline.js';
import { importWithTypeScript, siblingModule } from './pipeline-files.js';

export type { BatchRunner } from './in-process.js';

export function createBatchRunner(setup: PipelineSetup, workers: number): BatchRunner {
  checkWorkerCount(workers);
  if (workers === 0) return moduleInProcess(setup);
  const entry = siblingModule('./worker');
  if (!entry) return moduleInProcess(setup, `no worker file next to ${fileURLToPath(import.meta.url)}; running in-process instead of ${workers} worker thread(s)`);
  const execArgv: string[] = [];
  if (entry.source || setup.pipeline.endsWith('.ts')) {
    const loader = typeScriptLoader();
    if (!loader) {
      return moduleInProcess(setup, `worker threads need JavaScript and tsx is not installed to load TypeScript (build the package: npx nx run data:build); running in-process instead of ${workers} worker thread(s)`);
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

function moduleInProcess(setup: PipelineSetup, note?: string): BatchRunner {
  return inProcessRunner(() => loadPipeline(setup.pipeline, importWithTypeScript), setup, note);
}

/** tsx's ESM loader, for worker threads that must run TypeScript source. */
function typeScriptLoader(): string | undefined {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return undefined;
  }
}
