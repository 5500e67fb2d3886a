// One file over HTTP(S) with resume: bytes go to `<dest>.part`, an interrupted transfer continues from the
// part's size with a Range request (within the same call, up to `retries` times, and in a later call), and
// the result is checked against the size the server announced before it is renamed into place.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface DownloadProgress {
  phase: 'download' | 'extract';
  /** The file being written (download) or the archive being extracted. */
  file: string;
  url?: string;
  /** Bytes so far (downloaded, including a resumed part; or extracted, uncompressed). */
  bytes: number;
  /** Total bytes when known. */
  totalBytes?: number;
  /** This file's place in a multi-file download: 0-based index and count. */
  index: number;
  count: number;
  done: boolean;
}

export type ProgressCallback = (progress: DownloadProgress) => void;

export interface DownloadFileOptions {
  url: string;
  dest: string;
  onProgress?: ProgressCallback;
  /** Automatic resumes after a cut connection or a server error, in this call. Default 3. */
  retries?: number;
  /** Fail unless the file has exactly this many bytes. */
  expectedSize?: number;
  signal?: AbortSignal;
  /** Place in a multi-file download, passed through to progress reports. */
  index?: number;
  count?: number;
}

export interface DownloadResult {
  file: string;
  url: string;
  bytes: number;
  /** Bytes that were already there from an interrupted transfer (0 for a fresh one). */
  resumedFrom: number;
  /** Requests that ended early and were resumed within this call. */
  interruptions: number;
  /** The file was already complete; nothing was transferred. */
  skipped: boolean;
}

/** An HTTP answer that retrying will not change (404, 403, ...). */
class PermanentDownloadError extends Error {}

export async function downloadFile(options: DownloadFileOptions): Promise<DownloadResult> {
  const { url, dest, signal, expectedSize } = options;
  const retries = options.retries ?? 3;
  const part = `${dest}.part`;
  const report = (bytes: number, totalBytes: number | undefined, done: boolean) =>
    options.onProgress?.({ phase: 'download', file: dest, url, bytes, totalBytes, index: options.index ?? 0, count: options.count ?? 1, done });

  const existing = await fileSize(dest);
  if (existing !== undefined && existing === (expectedSize ?? (await remoteSize(url, signal)))) {
    report(existing, existing, true);
    return { file: dest, url, bytes: existing, resumedFrom: 0, interruptions: 0, skipped: true };
  }
  await mkdir(dirname(dest), { recursive: true });
  const resumedFrom = (await fileSize(part)) ?? 0;
  let interruptions = 0;
  for (;;) {
    const offset = (await fileSize(part)) ?? 0;
    try {
      const total = await transfer(url, part, offset, signal, report);
      const bytes = (await fileSize(part)) ?? 0;
      if (total !== undefined && bytes < total) throw new Error(`connection closed after ${bytes} of ${total} bytes`);
      if (total !== undefined && bytes > total) {
        await rm(part, { force: true });
        throw new PermanentDownloadError(`download ${url}: got ${bytes} bytes, more than the ${total} the server announced (partial file removed)`);
      }
      if (expectedSize !== undefined && bytes !== expectedSize) {
        await rm(part, { force: true });
        throw new PermanentDownloadError(`download ${url}: got ${bytes} bytes, expected ${expectedSize} (partial file removed)`);
      }
      await rename(part, dest);
      report(bytes, bytes, true);
      return { file: dest, url, bytes, resumedFrom, interruptions, skipped: false };
    } catch (error) {
      if (error instanceof PermanentDownloadError || signal?.aborted) throw error;
      interruptions += 1;
      if (interruptions > retries) {
        const have = (await fileSize(part)) ?? 0;
        throw new Error(
          `download ${url}: ${(error as Error).message}; gave up after ${retries} resume(s). ${have} bytes are kept in ${part}: run the download again to resume`,
          { cause: error },
        );
      }
    }
  }
}

/** One GET from `offset` on, appended to `part`. Returns the file's total size when the server says it. */
async function transfer(
  url: string,
  part: string,
  offset: number,
  signal: AbortSignal | undefined,
  report: (bytes: number, totalBytes: number | undefined, done: boolean) => void,
): Promise<number | undefined> {
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const response = await fetch(url, { headers, signal });
  let start = 0;
  let total: number | undefined;
  if (response.status === 206) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== offset) {
      await response.body?.cancel();
      throw new PermanentDownloadError(`download ${url}: asked for bytes from ${offset}, the server sent Content-Range "${response.headers.get('content-range')}"`);
    }
    start = offset;
    total = range[2] === '*' ? undefined : Number(range[2]);
  } else if (response.status === 416 && offset > 0) {
    // The part may already hold everything; otherwise it is stale: start over.
    const whole = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]);
    await response.body?.cancel();
    if (whole === offset) return whole;
    await rm(part, { force: true });
    throw new Error(`the partial file does not match the server's file (${offset} bytes, server has ${whole}); starting over`);
  } else if (response.ok) {
    const length = response.headers.get('content-length');
    total = length === null ? undefined : Number(length);
  } else {
    await response.body?.cancel();
    const message = `download ${url}: HTTP ${response.status} ${response.statusText}`;
    throw response.status >= 500 || response.status === 429 ? new Error(message) : new PermanentDownloadError(message);
  }
  if (!response.body) throw new Error('the response has no body');
  let bytes = start;
  report(bytes, total, false);
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    async function* count(chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        report(bytes, total, false);
        yield chunk;
      }
    },
    // A 200 answer (fresh start, or a server that ignores Range) rewrites the part from byte 0.
    createWriteStream(part, { flags: start > 0 ? 'a' : 'w' }),
  );
  return total;
}

async function remoteSize(url: string, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD', headers: { 'accept-encoding': 'identity' }, signal });
    const length = response.headers.get('content-length');
    return response.ok && length !== null ? Number(length) : undefined;
  } catch {
    return undefined;
  }
}

export async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
