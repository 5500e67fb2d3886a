// The per-sample work a batch stream runs: a module, so that worker threads can load it (functions cannot be
// sent to a thread). By default the package's own (default-pipeline.ts: createRng, prepareTrainingSample,
// prepareTestViews); any module with the same three exports can replace it. Browser-safe: finding the module
// files next to this one (Node) is pipeline-files.ts.
import type { Sketch } from '../types.js';

/** What the stream needs to know of the per-sample options; the pipeline reads the rest. */
export interface StreamSampleOptions {
  renderSize?: number;
  /** Side of the square sample (default 225). */
  cropSize?: number;
  /** Channels per pixel (default 1). */
  channels?: number;
  augment?: unknown;
}

export interface PipelineRng {
  next(): number;
}

export interface SamplePipeline {
  createRng(seed: number): PipelineRng;
  /** One augmented training sample, height x width x channels. */
  prepareTrainingSample(sketch: Sketch, sample: StreamSampleOptions, rng: PipelineRng): Float32Array;
  /** The fixed test views (center crop first), each height x width x channels. */
  prepareTestViews(sketch: Sketch, sample: StreamSampleOptions): Float32Array[];
}

export type ModuleImporter = (url: string) => Promise<Partial<SamplePipeline>>;

const importModule: ModuleImporter = (url) => import(/* @vite-ignore */ url);

const loaded = new Map<string, Promise<SamplePipeline>>();

/** The pipeline module at `moduleUrl` (loaded once), checked for the three functions. */
export function loadPipeline(moduleUrl: string, importer: ModuleImporter = importModule): Promise<SamplePipeline> {
  let pipeline = loaded.get(moduleUrl);
  if (!pipeline) {
    pipeline = importer(moduleUrl).then((module: Partial<SamplePipeline>) => {
      const missing = (['createRng', 'prepareTrainingSample', 'prepareTestViews'] as const).filter((name) => typeof module[name] !== 'function');
      if (missing.length > 0) throw new Error(`sample pipeline ${moduleUrl} does not export ${missing.join(', ')}`);
      return module as SamplePipeline;
    });
    loaded.set(moduleUrl, pipeline);
  }
  return pipeline;
}
