// The Node side of pipeline modules: the compiled or source files next to this module, and importing TypeScript
// source in worker threads started from it (tests, tsx).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModuleImporter, SamplePipeline } from './pipeline.js';

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

/** `import(url)`, falling back to tsx's API for TypeScript source. */
export const importWithTypeScript: ModuleImporter = async (url) => {
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
};
