// The TU-Berlin sketch dataset (Eitz, Hays and Alexa 2012): one zip of SVGs or PNGs from the authors' site,
// downloaded (resuming) and extracted.
import { rm, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractZip, commonTopFolder } from './extract.js';
import { downloadFile, fileSize, writeFileAtomic, type DownloadResult, type ProgressCallback } from './file.js';
import { TU_BERLIN_BASE_URL, tuBerlinArchiveName, type TuBerlinFormat } from './sources.js';

export { TU_BERLIN_BASE_URL, tuBerlinArchiveName, type TuBerlinFormat } from './sources.js';

export interface TuBerlinDownloadOptions {
  out: string;
  /** `svg` (strokes, for the `tu-berlin-svg` reader) or `png` (1111x1111 rasters, `tu-berlin-png`). Default `svg`. */
  format?: TuBerlinFormat;
  baseUrl?: string;
  onProgress?: ProgressCallback;
  retries?: number;
  /** See `downloadFile`: default DOWNLOAD_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Keep the zip after extraction (default true: a later call then skips both steps). */
  keepArchive?: boolean;
}

export interface TuBerlinDownloadResult {
  download: DownloadResult;
  /** The folder to open with the matching reader (`<out>/svg` for the authors' SVG archive). */
  root: string;
  /** Files extracted (0 when an earlier extraction of the same archive was found). */
  files: number;
}

export async function downloadTuBerlin(options: TuBerlinDownloadOptions): Promise<TuBerlinDownloadResult> {
  const format = options.format ?? 'svg';
  if (format !== 'svg' && format !== 'png') throw new Error(`TU-Berlin format must be svg or png, got "${format}"`);
  const base = options.baseUrl ?? TU_BERLIN_BASE_URL;
  const name = tuBerlinArchiveName(format);
  const archive = join(options.out, name);
  // Written after a complete extraction: the archive's size and the folder it produced.
  const marker = join(options.out, `.${name}.extracted.json`);
  const previous = await readMarker(marker);
  const url = `${base.endsWith('/') ? base : `${base}/`}${name}`;
  if (previous && (await fileSize(archive)) === undefined) {
    // Extracted before and the archive was let go (keepArchive: false): nothing to do.
    const download: DownloadResult = { file: archive, url, bytes: previous.bytes, resumedFrom: 0, interruptions: 0, skipped: true };
    return { download, root: join(options.out, previous.folder ?? ''), files: 0 };
  }
  const download = await downloadFile({
    url,
    dest: archive,
    onProgress: options.onProgress,
    format: 'zip',
    retries: options.retries,
    idleTimeoutMs: options.idleTimeoutMs,
    signal: options.signal,
  });
  if (previous && previous.bytes === download.bytes) return { download, root: join(options.out, previous.folder ?? ''), files: 0 };
  const { files } = await extractZip(archive, options.out, options.onProgress);
  const folder = commonTopFolder(files);
  await writeFileAtomic(marker, JSON.stringify({ bytes: download.bytes, folder }));
  if (options.keepArchive === false) await rm(archive);
  return { download, root: folder === undefined ? options.out : join(options.out, folder), files: files.length };
}

async function readMarker(path: string): Promise<{ bytes: number; folder?: string } | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
