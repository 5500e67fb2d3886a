// Helpers of the reader tests: read a whole dataset, and a scratch folder for the bad files a test writes.
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset, type DatasetOptions, type Sketch } from '../src/index.js';

export async function readAll(options: DatasetOptions) {
  const dataset = await openDataset(options);
  const sketches: Sketch[] = [];
  for await (const sketch of dataset.sketches()) sketches.push(sketch);
  return { dataset, sketches };
}

/** A temporary folder made before the file's tests and removed after them; call the result inside tests. */
export function scratchFolder(prefix: string): () => string {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return () => folder;
}
