// The Node edge of bundles: a folder as a BundleSource, and writing a bundle's files atomically.
import { BundleError } from './format.js';
import type { BundleSource } from './bundle.js';
import { directorySource, joinPath, writeFileAtomic } from '../io/file-system-io.js';

/** A bundle in a folder; a missing file is a BundleError naming it. */
export const bundleFromDirectory = (dir: string): BundleSource => directorySource(dir, BundleError);

/** Writes each file atomically (temp, fsync, rename): a reader never sees half a file. manifest.json goes last. */
export async function writeBundleFiles(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const order = [...files.keys()].sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'));
  for (const name of order) await writeFileAtomic(await joinPath(dir, name), files.get(name)!);
}
