// Run folders in the browser build: a string is a URL (relative ones to the page); there are no folders to save to.
import { ModelFileError, urlSource, type ModelSource } from './model-source.js';
import { createRunLoaders } from './run-loaders.js';

/** A run's URL (absolute, or relative to the page). A file:// folder is Node's: a ModelFileError says so. */
export function runSource(where: string): ModelSource {
  if (where.startsWith('file://')) {
    throw new ModelFileError(`${where}: file:// folders are read by the Node build of @sketch-xnor/models; in a browser give an http(s) URL or the picked files (filesSource)`);
  }
  return urlSource(where);
}

export const { loadRun, loadModel, readRunInfo, initFromRun } = createRunLoaders(runSource);
