// Fills one batch's image array: the same code in a worker thread and in-process, which is what makes the
// output independent of the worker count.
import type { Sketch } from '../types.js';
import type { BatchJob } from './plan.js';
import type { SamplePipeline, StreamSampleOptions } from './pipeline.js';

/** What every batch of a stream shares besides the per-sample functions. */
export interface BatchSetup {
  sketches: readonly Sketch[];
  sample: StreamSampleOptions;
  /** Training samples (augmented, one view) or test samples (`views` fixed views each). */
  mode: 'train' | 'test';
  /** Values per view: height * width * channels. */
  viewLength: number;
  views: number;
}

/** Everything a worker needs besides the job; sent to each worker once, when it starts. */
export interface PipelineSetup extends BatchSetup {
  /** URL of the module with the per-sample functions. */
  pipeline: string;
}

/** The batch's images, sample-major (and view-major within a sample in test mode). */
export function assembleBatch(pipeline: SamplePipeline, setup: BatchSetup, job: BatchJob): Float32Array {
  const { sketches, sample, mode, viewLength, views } = setup;
  const images = new Float32Array(job.indices.length * views * viewLength);
  job.indices.forEach((sketchIndex, position) => {
    const sketch = sketches[sketchIndex];
    const prepared =
      mode === 'train' ? [pipeline.prepareTrainingSample(sketch, sample, pipeline.createRng(job.seeds[position]))] : pipeline.prepareTestViews(sketch, sample);
    if (prepared.length !== views) throw new Error(`sketch ${sketch.id}: ${prepared.length} view(s) prepared, expected ${views}`);
    prepared.forEach((view, viewIndex) => {
      if (view.length !== viewLength) throw new Error(`sketch ${sketch.id}: a prepared view has ${view.length} values, expected ${viewLength} (height x width x channels)`);
      images.set(view, (position * views + viewIndex) * viewLength);
    });
  });
  return images;
}
