// Quick, Draw! categories from Google's public bucket: one file per category and format.
import { join } from 'node:path';
import { downloadFile, type DownloadResult, type ProgressCallback } from './file.js';
import { quickDrawFileName, quickDrawUrl, type QuickDrawFormat } from './sources.js';

export { QUICKDRAW_BASE_URL, quickDrawFileName, quickDrawUrl, type QuickDrawFormat } from './sources.js';

export interface QuickDrawDownloadOptions {
  /** Category names as Quick, Draw! spells them (`cat`, `The Eiffel Tower`). */
  categories: readonly string[];
  /** Folder for `<category>.ndjson` (or `.bin`): the layout the `quickdraw` reader opens. */
  out: string;
  format?: QuickDrawFormat;
  /** Default: Google's bucket, QUICKDRAW_BASE_URL. */
  baseUrl?: string;
  onProgress?: ProgressCallback;
  retries?: number;
  /** See `downloadFile`: default DOWNLOAD_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Downloads the categories one after the other (resuming, size- and format-checked); complete files are skipped. */
export async function downloadQuickDraw(options: QuickDrawDownloadOptions): Promise<DownloadResult[]> {
  const format = options.format ?? 'simplified';
  if (!['simplified', 'raw', 'binary'].includes(format)) throw new Error(`Quick, Draw! format must be simplified, raw or binary, got "${format}"`);
  if (options.categories.length === 0) throw new Error('downloadQuickDraw: no categories given');
  for (const category of options.categories) {
    if (!category.trim() || /[/\\]|^\.|[\0-\x1f]/.test(category)) throw new Error(`"${category}" is not a Quick, Draw! category name`);
  }
  const results: DownloadResult[] = [];
  for (const [index, category] of options.categories.entries()) {
    results.push(
      await downloadFile({
        url: quickDrawUrl(category, format, options.baseUrl),
        dest: join(options.out, quickDrawFileName(category, format)),
        onProgress: options.onProgress,
        format: format === 'binary' ? 'quickdraw-bin' : 'quickdraw-ndjson',
        retries: options.retries,
        idleTimeoutMs: options.idleTimeoutMs,
        signal: options.signal,
        index,
        count: options.categories.length,
      }),
    );
  }
  return results;
}
