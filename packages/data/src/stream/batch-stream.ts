// The batch stream of the Node build: batches prepared by a pool of worker threads (runner.ts), or in-process.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SampleOptions } from '../sample.js';
import { createBatchStreamOn, type BatchPlatform, type BatchStream, type BatchStreamOptions } from './batch-stream-core.js';
import type { StreamSampleOptions } from './pipeline.js';
import { defaultPipelineModule } from './pipeline-files.js';
import { createBatchRunner } from './runner.js';

export type { Batch, BatchPosition, BatchStream, BatchStreamOptions, BatchStreamStats } from './batch-stream-core.js';

const nodePlatform: BatchPlatform = {
  defaultWorkers: () => Math.max(0, Math.min(4, availableParallelism() - 1)),
  createRunner: (setup, pipeline, workers) => createBatchRunner({ ...setup, pipeline: pipelineUrl(pipeline) }, workers),
};

export function createBatchStream<S extends StreamSampleOptions = SampleOptions>(options: BatchStreamOptions<S>): BatchStream {
  return createBatchStreamOn(nodePlatform, options);
}

function pipelineUrl(pipeline: string | URL | undefined): string {
  if (pipeline === undefined) return defaultPipelineModule();
  if (pipeline instanceof URL) return pipeline.href;
  return pipeline.startsWith('file:') ? pipeline : pathToFileURL(resolve(pipeline)).href;
}
