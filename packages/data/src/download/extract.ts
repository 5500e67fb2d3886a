// Zip extraction (yauzl: reads the central directory, streams each entry, checks sizes and rejects unsafe
// names), with byte-level progress.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { ProgressCallback } from './file.js';

export interface ExtractResult {
  /** Files written, as paths relative to `out` with `/` separators. */
  files: string[];
  bytes: number;
}

export async function extractZip(archive: string, out: string, onProgress?: ProgressCallback): Promise<ExtractResult> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, strictFileNames: true, autoClose: false });
  } catch (error) {
    throw new Error(`${archive}: not a readable zip archive (${(error as Error).message})`, { cause: error });
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
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      // yauzl already refuses absolute and `..` names; this keeps that guarantee local.
      const target = resolve(root, entry.fileName);
      if (!target.startsWith(root + sep)) throw new Error(`entry "${entry.fileName}" would be written outside ${out}`);
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
    throw new Error(`${archive}: extraction failed: ${(error as Error).message}`, { cause: error });
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

