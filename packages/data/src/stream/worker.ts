// Worker-thread entry of the batch stream's pool (piscina). The sketches arrive once, as workerData; each task
// is one batch, and its image buffer is transferred back, not copied.
import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { assembleBatch, type PipelineSetup } from './assemble.js';
import { loadPipeline } from './pipeline.js';
import { importWithTypeScript } from './pipeline-files.js';
import type { BatchJob } from './plan.js';

const setup = workerData as PipelineSetup;

export default async function runBatchJob(job: BatchJob): Promise<Float32Array> {
  const images = assembleBatch(await loadPipeline(setup.pipeline, importWithTypeScript), setup, job);
  return move(images) as unknown as Float32Array;
}
