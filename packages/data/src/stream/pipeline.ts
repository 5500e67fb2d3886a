// The per-sample work a batch stream runs: a module, so that worker threads can load it (functions cannot be
// sent to a thread). By default the package's own (default-pipeline.ts: createRng, prepareTrainingSample,
// prepareTestViews); any module with the same three exports can replace it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/**
 * A module next to this one: the compiled `.js` (built package), else the `.ts` source (tests, tsx), which
 * only a TypeScript-aware loader can run.
 */
export function siblingModule(relativeName: string): { url: string; source: boolean } | undefined {
  const compiled = new URL(`${relativeName}.js`, import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { url: compiled.href, source: false };
  const source = new URL(`${relativeName}.ts`, import.meta.url);
  if (existsSync(fileURLToPath(source))) return { url: source.href, source: true };
  return undefined;
}

/** The module of the package's own pipeline (createRng, prepareTrainingSample, prepareTestViews). */
export function defaultPipelineModule(): string {
  const entry = siblingModule('./default-pipeline');
  if (!entry) throw new Error(`default-pipeline.js is missing next to ${fileURLToPath(import.meta.url)}`);
  return entry.url;
}

const loaded = new Map<string, Promise<SamplePipeline>>();

export function loadPipeline(moduleUrl: string): Promise<SamplePipeline> {
  let pipeline = loaded.get(moduleUrl);
  if (!pipeline) {
    pipeline = importModule(moduleUrl).then((module: Partial<SamplePipeline>) => {
      const missing = (['createRng', 'prepareTrainingSample', 'prepareTestViews'] as const).filter((name) => typeof module[name] !== 'function');
      if (missing.length > 0) throw new Error(`sample pipeline ${moduleUrl} does not export ${missing.join(', ')}`);
      return module as SamplePipeline;
    });
    loaded.set(moduleUrl, pipeline);
  }
  return pipeline;
}

async function importModule(url: string): Promise<Partial<SamplePipeline>> {
  try {
    return await import(/* @vite-ignore */ url);
  } catch (error) {
    // Node cannot import TypeScript itself, and in a worker thread started from source (tests, tsx) tsx's
    // import hook is not active: go through tsx's API (a development tool, absent from installed packages).
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const tsxApi = 'tsx/esm/api';
    const { tsImport } = (await import(/* @vite-ignore */ tsxApi)) as { tsImport(specifier: string, parentUrl: string): Promise<Partial<SamplePipeline>> };
    return tsImport(url, import.meta.url);
  }
}
