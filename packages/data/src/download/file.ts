// One file over HTTP(S) with resume: bytes go to `<dest>.part`, beside `<dest>.part.json` (the URL, the server's
// ETag / Last-Modified and size when the part was started). An interrupted transfer continues from the part's
// size with a Range request guarded by If-Range (within the same call, up to `retries` times, and in a later
// call), so a file changed on the server restarts from zero instead of splicing two files. The result is
// renamed into place only once verified: the size the server announced, and the format's first records (and
// its end, when the server said no size). A server that sends nothing for `idleTimeoutMs` fails the attempt.
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../problems.js';
import { DOWNLOAD_SNIFF_BYTES, sniffDownload, verifyDownload, type DownloadFormat } from './verify.js';

export type { DownloadFormat } from './verify.js';

/** How long an attempt waits for the server's next bytes (or its answer) before giving it up. */
export const DOWNLOAD_IDLE_TIMEOUT_MS = 30_000;

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
  /** What the file must be (checked before it is called complete); without it only the size is checked. */
  format?: DownloadFormat;
  /** Give up an attempt (and retry) after this long without a byte from the server. Default DOWNLOAD_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Place in a multi-file download, passed through to progress reports. */
  index?: number;
  count?: number;
}

export interface DownloadResult {
  file: string;
  url: string;
  bytes: number;
  /** Bytes kept from an earlier call's interrupted transfer (0 for a fresh one, or when the server's file changed). */
  resumedFrom: number;
  /** Requests that ended early and were resumed within this call. */
  interruptions: number;
  /** The file was already complete; nothing was transferred. */
  skipped: boolean;
}

/** A download that failed: names the file it was writing and the URL (message `<file>: download <url>: ...`). */
export class DownloadError extends InputError {
  override name = 'DownloadError';
  readonly url: string;

  constructor(file: string, url: string, reason: string, options?: { cause?: unknown }) {
    super({ file, reason: `download ${url}: ${reason}` }, options);
    this.url = url;
  }
}

/**
 * Why one attempt ended. `retry`: another request may get further (a cut connection, a stall, a 5xx);
 * `discard`: the part cannot be continued (the server's file changed, a bogus range, wrong content).
 */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly discard = false,
  ) {
    super(message);
  }
}

/** What `<dest>.part.json` records about the part: it may be continued only while the server's file is this one. */
interface PartInfo {
  url: string;
  etag?: string;
  lastModified?: string;
  total?: number;
}

type Report = (bytes: number, totalBytes: number | undefined, done: boolean) => void;

interface Attempt {
  url: string;
  part: string;
  info: string;
  format: DownloadFormat | undefined;
  idleTimeoutMs: number;
  signal: AbortSignal | undefined;
  report: Report;
}

export async function downloadFile(options: DownloadFileOptions): Promise<DownloadResult> {
  const { url, dest, signal, expectedSize, format } = options;
  const retries = options.retries ?? 3;
  const idleTimeoutMs = options.idleTimeoutMs ?? DOWNLOAD_IDLE_TIMEOUT_MS;
  const part = `${dest}.part`;
  const info = `${part}.json`;
  const report: Report = (bytes, totalBytes, done) =>
    options.onProgress?.({ phase: 'download', file: dest, url, bytes, totalBytes, index: options.index ?? 0, count: options.count ?? 1, done });

  const existing = await fileSize(dest);
  if (existing !== undefined && (await isComplete(dest, existing, expectedSize ?? (await remoteSize(url, idleTimeoutMs, signal)), format))) {
    await discardPart(part, info); // what a failed later attempt left is stale beside the complete file
    report(existing, existing, true);
    return { file: dest, url, bytes: existing, resumedFrom: 0, interruptions: 0, skipped: true };
  }
  await mkdir(dirname(dest), { recursive: true });
  const earlierPart = (await fileSize(part)) ?? 0;
  let keptEarlierPart = true;
  let interruptions = 0;
  const attempt: Attempt = { url, part, info, format, idleTimeoutMs, signal, report };
  for (;;) {
    try {
      const { total, fresh } = await transfer(attempt);
      if (fresh) keptEarlierPart = false;
      const bytes = await checkComplete(part, total, expectedSize, format);
      await syncFile(part);
      await rename(part, dest);
      await rm(info, { force: true });
      report(bytes, bytes, true);
      return { file: dest, url, bytes, resumedFrom: keptEarlierPart ? earlierPart : 0, interruptions, skipped: false };
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = error instanceof AttemptError ? error : new AttemptError(networkProblem(error), true);
      if (failure.discard) {
        await discardPart(part, info);
        keptEarlierPart = false;
      }
      const have = (await fileSize(part)) ?? 0;
      const kept = have > 0 ? `${have} bytes are kept in ${part}: run the download again to resume` : '';
      if (!failure.retry) {
        const after = failure.discard ? '; the partial download was deleted, so a retry starts clean' : kept && `; ${kept}`;
        throw new DownloadError(dest, url, `${failure.message}${after}`, { cause: error });
      }
      interruptions += 1;
      if (interruptions > retries) {
        throw new DownloadError(dest, url, `${failure.message}; gave up after ${retries} resume(s). ${kept || 'run the download again to retry'}`, { cause: error });
      }
    }
  }
}

/** A complete file from an earlier call: the server's size, and the format's check. */
async function isComplete(dest: string, size: number, remote: number | undefined, format: DownloadFormat | undefined): Promise<boolean> {
  return size === remote && (await verifyDownload(dest, size, format, true)).ok;
}

/** The part after a transfer is complete only when its size and its format say so; returns its size. */
async function checkComplete(part: string, total: number | undefined, expectedSize: number | undefined, format: DownloadFormat | undefined): Promise<number> {
  const bytes = (await fileSize(part)) ?? 0;
  const size = total ?? expectedSize;
  if (size !== undefined && bytes < size) throw new AttemptError(`connection closed after ${bytes} of ${size} bytes`, true);
  if (total !== undefined && bytes > total) throw new AttemptError(`got ${bytes} bytes, more than the ${total} the server announced`, false, true);
  if (expectedSize !== undefined && bytes !== expectedSize) throw new AttemptError(`got ${bytes} bytes, expected ${expectedSize}`, false, true);
  const verdict = await verifyDownload(part, bytes, format, total !== undefined || expectedSize !== undefined);
  if (verdict.ok) return bytes;
  if (verdict.then === 'resume') throw new AttemptError(`${part} ${verdict.problem}`, true);
  throw new AttemptError(`${part} ${verdict.problem}`, false, verdict.then === 'discard');
}

/**
 * One GET: from the part's end when it can be continued (If-Range: the server sends the whole file instead if
 * it changed), else from zero. Returns the file's total size when known, and whether the part was restarted.
 */
async function transfer(attempt: Attempt): Promise<{ total: number | undefined; fresh: boolean }> {
  const { url, part, idleTimeoutMs, signal } = attempt;
  const offset = (await fileSize(part)) ?? 0;
  const saved = offset > 0 ? await readPartInfo(attempt.info, url) : undefined;
  const validator = saved && ifRangeValidator(saved);
  // A part with nothing to tell the server's file by cannot be continued safely: it is rewritten from zero.
  const from = validator === undefined ? 0 : offset;
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (from > 0) Object.assign(headers, { range: `bytes=${from}-`, 'if-range': validator! });
  const idle = idleWatch(idleTimeoutMs, signal);
  try {
    const response = await fetch(url, { headers, signal: idle.signal });
    idle.touch();
    try {
      const plan = planBody(response, url, from, saved);
      if (plan.complete) return { total: plan.total, fresh: false };
      await writeBody(response, plan, attempt, idle.touch);
      return { total: plan.total, fresh: plan.start === 0 };
    } finally {
      if (!response.bodyUsed) await response.body?.cancel().catch(() => undefined);
    }
  } catch (error) {
    if (idle.timedOut() && !signal?.aborted) throw new AttemptError(`no data from the server for ${idleTimeoutMs} ms (stalled)`, true);
    throw error;
  } finally {
    idle.stop();
  }
}

type BodyPlan = { complete: true; total: number } | { complete: false; start: number; total: number | undefined; info: PartInfo };

/** What the answer means for the part: where its body goes, or that the part already holds the whole file. */
function planBody(response: Response, url: string, from: number, saved: PartInfo | undefined): BodyPlan {
  const { status, headers } = response;
  const answered: PartInfo = {
    url,
    ...(headers.get('etag') !== null && { etag: headers.get('etag')! }),
    ...(headers.get('last-modified') !== null && { lastModified: headers.get('last-modified')! }),
  };
  if (status === 206) {
    const contentRange = headers.get('content-range') ?? '';
    const range = parseContentRange(contentRange);
    if (!range || range.start !== from || (range.total !== undefined && range.end >= range.total)) {
      throw new AttemptError(`asked for bytes from ${from}, the server sent Content-Range "${contentRange}"; starting over`, true, true);
    }
    if (from > 0 && saved) {
      const changed = fileChanged(saved, { ...answered, total: range.total });
      if (changed) throw new AttemptError(`the server's file changed since the partial download began (${changed}); starting over`, true, true);
    }
    const total = range.total ?? saved?.total;
    return { complete: false, start: from, total, info: { ...answered, total } };
  }
  if (status === 416 && from > 0) {
    // If-Range matched, so the part is of the current file: it may already hold all of it.
    const whole = Number(/^bytes \*\/(\d+)$/.exec(headers.get('content-range') ?? '')?.[1]);
    if (whole === from) return { complete: true, total: whole };
    throw new AttemptError(`the partial file does not match the server's file (${from} bytes, the server has ${Number.isNaN(whole) ? 'no size' : whole}); starting over`, true, true);
  }
  if (status === 200) {
    const total = parseLength(headers.get('content-length'));
    return { complete: false, start: 0, total, info: { ...answered, ...(total !== undefined && { total }) } };
  }
  const problem = `HTTP ${status} ${response.statusText}`.trim();
  throw new AttemptError(problem, status >= 500 || status === 429 || status === 408);
}

/** The validator that differs between the part's file and the server's answer, if any. */
function fileChanged(saved: PartInfo, answered: PartInfo): string | undefined {
  if (saved.etag !== undefined && answered.etag !== undefined && saved.etag !== answered.etag) return `ETag ${saved.etag}, now ${answered.etag}`;
  if (saved.lastModified !== undefined && answered.lastModified !== undefined && saved.lastModified !== answered.lastModified) {
    return `Last-Modified ${saved.lastModified}, now ${answered.lastModified}`;
  }
  if (saved.total !== undefined && answered.total !== undefined && saved.total !== answered.total) return `${saved.total} bytes, now ${answered.total}`;
  return undefined;
}

/**
 * Streams the body into the part. A body from byte 0 is sniffed first (its first bytes must look like the
 * format) and only then replaces the part, so an HTML page answering a resume does not wipe what was kept.
 */
async function writeBody(response: Response, plan: Extract<BodyPlan, { complete: false }>, attempt: Attempt, touch: () => void): Promise<void> {
  const { part, format, report } = attempt;
  if (!response.body) throw new AttemptError('the answer has no body', true);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let pending: Buffer[] = [];
  let bytes = plan.start;
  const openPart = async () => {
    if (plan.start === 0) {
      const problem = sniffDownload(format, Buffer.concat(pending));
      if (problem) throw new AttemptError(`the server's answer ${problem}`, false);
      // The info first: it must describe whatever the part holds from here on.
      await rm(part, { force: true });
      await writeFileAtomic(attempt.info, JSON.stringify(plan.info));
    }
    handle = await open(part, plan.start === 0 ? 'w' : 'a');
  };
  const write = async (chunk: Buffer) => {
    await handle!.write(chunk);
    bytes += chunk.length;
    report(bytes, plan.total, false);
  };
  report(bytes, plan.total, false);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      touch();
      const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (handle) {
        await write(data);
        continue;
      }
      pending.push(data);
      if (plan.start === 0 && pending.reduce((sum, piece) => sum + piece.length, 0) < DOWNLOAD_SNIFF_BYTES) continue;
      await openPart();
      for (const piece of pending) await write(piece);
      pending = [];
    }
    if (!handle) {
      await openPart();
      for (const piece of pending) await write(piece);
    }
  } finally {
    await handle?.close();
  }
}

/** Aborts when `touch` is not called for `ms`: a stalled server fails the attempt instead of hanging it. */
function idleWatch(ms: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${ms} ms`)), ms);
  };
  touch();
  return {
    signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
    touch,
    timedOut: () => controller.signal.aborted,
    stop: () => clearTimeout(timer),
  };
}

/** `bytes <start>-<end>/<total or *>`. */
function parseContentRange(header: string): { start: number; end: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!match) return undefined;
  const [start, end] = [Number(match[1]), Number(match[2])];
  const total = match[3] === '*' ? undefined : Number(match[3]);
  return end >= start && Number.isSafeInteger(end) && (total === undefined || Number.isSafeInteger(total)) ? { start, end, total } : undefined;
}

function parseLength(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) ? length : undefined;
}

/** If-Range needs a strong validator: a strong ETag, else Last-Modified. */
function ifRangeValidator(info: PartInfo): string | undefined {
  return info.etag !== undefined && !info.etag.startsWith('W/') ? info.etag : info.lastModified;
}

async function readPartInfo(path: string, url: string): Promise<PartInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as Partial<PartInfo>;
    const optional = (value: unknown, type: string) => value === undefined || typeof value === type;
    const valid =
      info.url === url && optional(info.etag, 'string') && optional(info.lastModified, 'string') && optional(info.total, 'number');
    return valid ? (info as PartInfo) : undefined;
  } catch {
    return undefined;
  }
}

async function discardPart(part: string, info: string): Promise<void> {
  await rm(part, { force: true });
  await rm(info, { force: true });
}

/** Writes `path` whole or not at all (a sibling temporary file, renamed into place). */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** The part's bytes on disk before it is renamed into place, so a crash cannot leave a complete-looking hole. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** A fetch failure as one line: undici's "fetch failed" / "terminated" say little without their cause. */
function networkProblem(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { message?: string; code?: string } };
  const detail = cause?.message ?? cause?.code;
  return detail ? `${message} (${detail})` : String(message ?? error);
}

async function remoteSize(url: string, idleTimeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
  const idle = idleWatch(idleTimeoutMs, signal);
  try {
    const response = await fetch(url, { method: 'HEAD', headers: { 'accept-encoding': 'identity' }, signal: idle.signal });
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? parseLength(response.headers.get('content-length')) : undefined;
  } catch {
    return undefined;
  } finally {
    idle.stop();
  }
}

export async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
