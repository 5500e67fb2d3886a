// The Node edge of bundles: a folder as a BundleSource, and writing a bundle's files atomically.
import { mkdir, readFile, rename, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from './format.js';
import type { BundleSource } from './bundle.js';

export function bundleFromDirectory(dir: string): BundleSource {
  return {
    where: dir,
    async read(path) {
      try {
        return new Uint8Array(await readFile(join(dir, path)));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new BundleError(code === 'ENOENT' ? `${join(dir, path)} is missing` : `${join(dir, path)}: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

/** Writes each file to a temporary name, syncs it, then renames: a reader never sees half a file. manifest.json goes last. */
export async function writeBundleFiles(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const order = [...files.keys()].sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'));
  for (const name of order) {
    const target = join(dir, name);
    const temp = `${target}.tmp-${process.pid}`;
    await writeFile(temp, files.get(name)!);
    const handle = await open(temp, 'r');
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  }
}
