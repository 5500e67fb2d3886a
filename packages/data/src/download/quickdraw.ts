// Quick, Draw! categories from Google's public bucket: one file per category and format.
import { join } from 'node:path';
import { downloadFile, type DownloadResult, type ProgressCallback } from './file.js';

export const QUICKDRAW_BASE_URL = 'https://storage.googleapis.com/quickdraw_dataset/full/';

/** `simplified`: ndjson, 0..255 coordinates; `raw`: ndjson with times; `binary`: the packed `.bin` form. */
export type QuickDrawFormat = 'simplified' | 'raw' | 'binary';

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
  signal?: AbortSignal;
}

export function quickDrawFileName(category: string, format: QuickDrawFormat = 'simplified'): string {
  return `${category}.${format === 'binary' ? 'bin' : 'ndjson'}`;
}

/** `<base><format>/<category, URL-encoded>.<ext>`, e.g. `.../full/simplified/The%20Eiffel%20Tower.ndjson`. */
export function quickDrawUrl(category: string, format: QuickDrawFormat = 'simplified', baseUrl = QUICKDRAW_BASE_URL): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}${format}/${encodeURIComponent(quickDrawFileName(category, format))}`;
}

/** Downloads the categories one after the other (resuming, size-checked); complete files are skipped. */
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
        retries: options.retries,
        signal: options.signal,
        index,
        count: options.categories.length,
      }),
    );
  }
  return results;
}
