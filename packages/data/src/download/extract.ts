// Zip extraction (yauzl: reads the central directory, streams each entry, checks sizes and rejects unsafe
// names), with byte-level progress. Bounded: the central directory's declared sizes (which yauzl holds every entry
// to) must stay under a total and an entry count, so a zip bomb is refused before anything is written.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { InputError } from '../problems.js';
import type { ProgressCallback } from './file.js';

/** Largest total of uncompressed bytes extracted from one archive (TU-Berlin's SVG and PNG archives are ~1 GB). */
export const MAX_EXTRACT_BYTES = 16 * 1024 ** 3;
/** Most entries in one archive (TU-Berlin: 20,000 sketches). */
export const MAX_EXTRACT_ENTRIES = 1_000_000;

export interface ExtractLimits {
  maxBytes?: number;
  maxEntries?: number;
}

export interface ExtractResult {
  /** Files written, as paths relative to `out` with `/` separators. */
  files: string[];
  bytes: number;
}

export async function extractZip(archive: string, out: string, onProgress?: ProgressCallback, limits: ExtractLimits = {}): Promise<ExtractResult> {
  const { maxBytes = MAX_EXTRACT_BYTES, maxEntries = MAX_EXTRACT_ENTRIES } = limits;
  const refuse = (reason: string, cause?: unknown): never => {
    throw new InputError({ file: archive, reason }, { cause });
  };
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, strictFileNames: true, autoClose: false });
  } catch (error) {
    return refuse(`not a readable zip archive (${(error as Error).message})`, error);
  }
  if (zip.entryCount > maxEntries) {
    zip.close();
    refuse(`holds ${zip.entryCount} entries, more than the ${maxEntries} allowed`);
  }
  const root = resolve(out);
  const files: string[] = [];
  let bytes = 0;
  let totalBytes = 0;
  const report = (done: boolean) => onProgress?.({ phase: 'extract', file: archive, bytes, totalBytes, index: 0, count: 1, done });
  try {
    // The central directory first, so progress knows the total.
    const entries: yauzl.Entry[] = [];
    for await (const entry of zip.eachEntry()) entries.push(entry);
    totalBytes = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (totalBytes > maxBytes) refuse(`would extract to ${totalBytes} bytes, more than the ${maxBytes} allowed (a zip bomb?)`);
    for (const entry of entries) {
      // yauzl already refuses absolute and `..` names (strictFileNames: also backslashes); this keeps it local
      const target = resolve(root, entry.fileName);
      if (!target.startsWith(root + sep)) refuse(`entry "${entry.fileName}" would be written outside ${out}`);
      if (entry.fileName.endsWith('/')) continue;
      await mkdir(dirname(target), { recursive: true });
      const counter = async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          report(false);
          yield chunk;
        }
      };
      await pipeline(await zip.openReadStreamPromise(entry), counter, createWriteStream(target));
      files.push(relative(root, target).split(sep).join('/'));
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    refuse(`extraction failed: ${(error as Error).message}`, error);
  } finally {
    zip.close();
  }
  report(true);
  return { files, bytes };
}

/** The single top-level folder all files share (`svg` in TU-Berlin's archive), if there is one. */
export function commonTopFolder(files: readonly string[]): string | undefined {
  const tops = new Set(files.map((file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '')));
  const [only] = tops;
  return tops.size === 1 && only !== '' ? only : undefined;
}

