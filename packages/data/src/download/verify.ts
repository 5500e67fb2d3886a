// What a downloaded file must look like before it is called complete. A server can answer 200 with the wrong
// thing (a captive portal's or an error page's HTML) or end a body early without saying its size, so the size
// check alone is not enough: each format has a check of its first bytes (cheap enough to run on the first
// chunk of a body, before anything is overwritten), of its first records, and of whether the file is whole.
import { open } from 'node:fs/promises';

/** What `downloadFile` checks: a Quick, Draw! ndjson (simplified or raw) or `.bin` file, or a zip archive. */
export type DownloadFormat = 'quickdraw-ndjson' | 'quickdraw-bin' | 'zip';

/** Bytes read from a file's start (and, for ndjson and zip, from its end) to verify it. */
export const DOWNLOAD_VERIFY_BYTES = 1 << 20;

/** ndjson lines at the start of a Quick, Draw! file that must parse as drawings. */
export const DOWNLOAD_VERIFY_LINES = 3;

/** Bytes of a body's start that `sniffDownload` needs (fewer when the body is shorter). */
export const DOWNLOAD_SNIFF_BYTES = 17;

interface FormatCheck {
  /** How the format is named in messages. */
  title: string;
  /** A problem with the first bytes of a body (at most DOWNLOAD_SNIFF_BYTES of them), or undefined. */
  sniff(prefix: Buffer): string | undefined;
  /** A problem with the first records (`head`: the file's first bytes; `whole`: they are the whole file). */
  start(head: Buffer, whole: boolean): string | undefined;
  /** A problem with the file's end, read from its bytes alone: `cut`, it looks cut short; else it is not this format. */
  end(path: string, size: number): Promise<EndProblem | undefined>;
  /** `end` is cheap (it reads the tail): run it even when the server said the size. */
  endAlways: boolean;
}

type EndProblem = { problem: string; cut: boolean };
const cutShort = (problem: string): EndProblem => ({ problem, cut: true });
const wrong = (problem: string | undefined): EndProblem | undefined => (problem === undefined ? undefined : { problem, cut: false });

const htmlLike = (prefix: Buffer): boolean => /^\s*</.test(prefix.toString('latin1'));
const HTML_PROBLEM = 'it starts with "<", like an HTML page (a captive portal, a login or an error page)';

// ndjson: every line a JSON object with a `drawing` array (simplified and raw alike).
function drawingLineProblem(line: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  if (!Array.isArray((value as { drawing?: unknown }).drawing)) return 'has no "drawing" array';
  return undefined;
}

const ndjson: FormatCheck = {
  title: 'Quick, Draw! ndjson file',
  sniff: (prefix) => {
    if (htmlLike(prefix)) return HTML_PROBLEM;
    const first = /\S/.exec(prefix.toString('latin1'))?.[0];
    return first === undefined || first === '{' ? undefined : `it starts with ${JSON.stringify(first)}, not "{"`;
  },
  start: (head, whole) => {
    const text = head.toString('utf8');
    const lines = text.split('\n');
    // The last piece is cut by the head's end unless the head is the whole file. Numbers are 1-based lines.
    const complete = (whole ? lines : lines.slice(0, -1))
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '')
      .slice(0, DOWNLOAD_VERIFY_LINES);
    if (complete.length === 0) {
      return whole ? 'it is empty' : `it has no line end in its first ${DOWNLOAD_VERIFY_BYTES} bytes`;
    }
    for (const { line, number } of complete) {
      const problem = drawingLineProblem(line);
      if (problem) return `line ${number} ${problem}`;
    }
    return undefined;
  },
  end: async (path, size) => {
    const tail = await readRange(path, Math.max(0, size - DOWNLOAD_VERIFY_BYTES), size);
    if (tail.length === 0) return cutShort('it is empty');
    if (tail[tail.length - 1] !== 0x0a) return cutShort('it ends in the middle of a line (a complete file ends with a newline)');
    const text = tail.subarray(0, -1).toString('utf8');
    const start = text.lastIndexOf('\n');
    if (start < 0 && tail.length < size) return wrong(`its last line is longer than ${DOWNLOAD_VERIFY_BYTES} bytes`);
    const problem = drawingLineProblem(text.slice(start + 1));
    return wrong(problem && `its last line ${problem}`);
  },
  endAlways: true,
};

// .bin records: key_id uint64 | country 2 bytes | recognized uint8 | timestamp uint32 | n_strokes uint16 |
// per stroke: n_points uint16, x[n_points], y[n_points] (little-endian; see readers/quickdraw-binary.ts).
const BIN_HEADER_BYTES = 17;
const plausibleCountry = (a: number, b: number) => [a, b].every((c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));

function binHeaderProblem(header: Buffer): string | undefined {
  if (!plausibleCountry(header[8], header[9])) return 'its first record has no two-letter country code';
  if (header[10] > 1) return `its first record's "recognized" flag is ${header[10]}, not 0 or 1`;
  if (header.readUInt16LE(15) === 0) return 'its first record has no strokes';
  return undefined;
}

/** The byte length of the record at `at` in `buffer`, or undefined when the buffer ends inside it. */
function binRecordBytes(buffer: Buffer, at: number): number | undefined {
  if (buffer.length - at < BIN_HEADER_BYTES) return undefined;
  let end = at + BIN_HEADER_BYTES;
  for (let stroke = buffer.readUInt16LE(at + 15); stroke > 0; stroke--) {
    if (buffer.length - end < 2) return undefined;
    end += 2 + 2 * buffer.readUInt16LE(end);
  }
  return end <= buffer.length ? end - at : undefined;
}

const bin: FormatCheck = {
  title: 'Quick, Draw! .bin file',
  sniff: (prefix) => (htmlLike(prefix) ? HTML_PROBLEM : prefix.length < BIN_HEADER_BYTES ? undefined : binHeaderProblem(prefix)),
  start: (head) => {
    if (head.length < BIN_HEADER_BYTES) return `it is ${head.length} bytes, shorter than one record`;
    const problem = binHeaderProblem(head);
    if (problem) return problem;
    return binRecordBytes(head, 0) === undefined ? `its first record does not fit in ${head.length} bytes` : undefined;
  },
  // Records must tile the file exactly: one pass over their headers (linear in the file's size).
  end: async (path, size) => {
    const handle = await open(path, 'r');
    try {
      let window = Buffer.alloc(0);
      let windowStart = 0;
      let at = 0;
      let record = 0;
      while (at < size) {
        let bytes = binRecordBytes(window, at - windowStart);
        if (bytes === undefined) {
          // Refill from the record's start; a real record is a few KB, so one that outgrows the window is bogus.
          const length = Math.min(size - at, DOWNLOAD_VERIFY_BYTES);
          window = Buffer.alloc(length);
          await handle.read(window, 0, length, at);
          windowStart = at;
          bytes = binRecordBytes(window, 0);
          if (bytes === undefined && at + length >= size) return cutShort(`it ends ${size - at} byte(s) into record ${record + 1}`);
          if (bytes === undefined) return wrong(`its record ${record + 1} is longer than ${DOWNLOAD_VERIFY_BYTES} bytes`);
        }
        at += bytes;
        record++;
      }
      return undefined;
    } finally {
      await handle.close();
    }
  },
  endAlways: false,
};

// zip: a local file header first, the end-of-central-directory record within the last 64 KiB + 22 bytes.
const ZIP_LOCAL = Buffer.from('PK\x03\x04', 'latin1');
const ZIP_END = Buffer.from('PK\x05\x06', 'latin1');
const ZIP_END_SEARCH = 22 + 0xffff;

const zip: FormatCheck = {
  title: 'zip archive',
  sniff: (prefix) => {
    if (htmlLike(prefix)) return HTML_PROBLEM;
    const magic = prefix.subarray(0, 4);
    return ZIP_LOCAL.subarray(0, magic.length).equals(magic) || ZIP_END.subarray(0, magic.length).equals(magic)
      ? undefined
      : 'it does not start with a zip signature ("PK")';
  },
  start: (head) => (head.length < 22 ? `it is ${head.length} bytes, too short for a zip archive` : zip.sniff(head.subarray(0, 4))),
  end: async (path, size) => {
    const tail = await readRange(path, Math.max(0, size - ZIP_END_SEARCH), size);
    return tail.lastIndexOf(ZIP_END) < 0 ? cutShort('it has no end-of-central-directory record (the archive is cut short)') : undefined;
  },
  endAlways: true,
};

const CHECKS: Record<DownloadFormat, FormatCheck> = { 'quickdraw-ndjson': ndjson, 'quickdraw-bin': bin, zip };

/** A problem with a body's first bytes (at most DOWNLOAD_SNIFF_BYTES; fewer only when the body is shorter). */
export function sniffDownload(format: DownloadFormat | undefined, prefix: Buffer): string | undefined {
  const problem = format && CHECKS[format].sniff(prefix);
  return problem && `is not a ${CHECKS[format!].title}: ${problem}`;
}

/**
 * `resume`: the file looks cut short, a later request may continue it; `discard`: wrong content, start clean;
 * `keep`: nothing shows it is wrong, but nothing shows it is complete either.
 */
export type Verdict = { ok: true } | { ok: false; problem: string; then: 'resume' | 'discard' | 'keep' };

/**
 * Is the file at `path` (`size` bytes) a complete file of `format`? `sizeFromServer`: its size matched what the
 * server announced. Without a format the file can be verified only by the server's size.
 */
export async function verifyDownload(path: string, size: number, format: DownloadFormat | undefined, sizeFromServer: boolean): Promise<Verdict> {
  if (format === undefined) {
    return sizeFromServer ? { ok: true } : { ok: false, then: 'keep', problem: 'cannot be verified as complete: the server did not say its size' };
  }
  const check = CHECKS[format];
  // Without the server's size, an unfinished end means a short transfer (checked first: a cut can fall inside
  // the first record); with the size matched, it means wrong content.
  const endProblem = async () => {
    const problem = await check.end(path, size);
    return problem && { ...problem, problem: `is not a complete ${check.title}: ${problem.problem}` };
  };
  if (!sizeFromServer) {
    const problem = await endProblem();
    if (problem) return { ok: false, then: problem.cut ? 'resume' : 'discard', problem: problem.problem };
  }
  const head = await readRange(path, 0, Math.min(size, DOWNLOAD_VERIFY_BYTES));
  const startProblem = check.start(head, head.length === size);
  if (startProblem) return { ok: false, then: 'discard', problem: `is not a ${check.title}: ${startProblem}` };
  const problem = sizeFromServer && check.endAlways ? await endProblem() : undefined;
  return problem ? { ok: false, then: 'discard', problem: problem.problem } : { ok: true };
}

/** Bytes [from, to) of a file. */
async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, to - from));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
