// The batch stream of the browser build: batches prepared in-process (no worker threads), by the package's own
// pipeline imported statically, or by the module a `pipeline` URL names. Same batches as the Node build's.
import type { SampleOptions } from '../sample.js';
import { createBatchStreamOn, type BatchPlatform, type BatchStream, type BatchStreamOptions } from './batch-stream-core.js';
import * as ownPipeline from './default-pipeline.js';
import { checkWorkerCount, inProcessRunner } from './in-process.js';
import { loadPipeline, type SamplePipeline, type StreamSampleOptions } from './pipeline.js';

export type { Batch, BatchPosition, BatchStream, BatchStreamOptions, BatchStreamStats } from './batch-stream-core.js';

const browserPlatform: BatchPlatform = {
  defaultWorkers: () => 0,
  createRunner(setup, pipeline, workers) {
    checkWorkerCount(workers);
    const note = workers > 0 ? `worker threads are Node-only in @sketch-xnor/data; running in-process instead of ${workers} worker thread(s)` : undefined;
    const load = pipeline === undefined ? () => Promise.resolve<SamplePipeline>(ownPipeline) : () => loadPipeline(moduleUrl(pipeline));
    return inProcessRunner(load, setup, note);
  },
};

export function createBatchStream<S extends StreamSampleOptions = SampleOptions>(options: BatchStreamOptions<S>): BatchStream {
  return createBatchStreamOn(browserPlatform, options);
}

/** An absolute URL: relative ones are taken relative to the page. */
function moduleUrl(pipeline: string | URL): string {
  return new URL(pipeline, globalThis.location?.href).href;
}
