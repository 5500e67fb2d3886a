// Quick, Draw! (Google Creative Lab, CC BY 4.0): a folder of `<category>.ndjson` / `<category>.bin` files (names
// may contain spaces) or one such file. Both ndjson forms are read, detected per line: *simplified* (integer
// coordinates in the 0..255 box, already Google's normalization) is kept as is; *raw* (float coordinates at any
// offset and scale, with per-point times) is normalized into the same box the same way Google does it (shift to
// a 0 minimum, one uniform scale to a 255 maximum), so both forms of a drawing give the same raster. Files are
// read as streams, line by line or record by record: a 300 MB category never sits in memory, and neither does a
// line longer than `maxLineBytes` (default MAX_NDJSON_LINE_BYTES): it is reported and skipped.
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ProblemLog } from '../problems.js';
import type { Sketch } from '../types.js';
import { isDirectory, readLines, stem } from './files.js';
import { MAX_NDJSON_LINE_BYTES, parseQuickDrawLine } from './quickdraw-line.js';
import { categoryDataset, commonOptions, readerPlugin, requirePath, selectCategories, type ReaderFactory } from './reader.js';
import { readQuickDrawBinary } from './quickdraw-binary.js';

export { parseQuickDrawLine, normalizeToBox, QUICKDRAW_BOX, MAX_NDJSON_LINE_BYTES, type ParsedQuickDrawLine } from './quickdraw-line.js';

const EXTENSIONS = ['.ndjson', '.bin'];

export const quickDrawReader: ReaderFactory = {
  name: 'quickdraw',
  description: "Quick, Draw! ndjson (simplified or raw) and .bin files: a folder of '<category>.ndjson' or one file",
  create(options) {
    const common = commonOptions(options);
    const { maxLineBytes = MAX_NDJSON_LINE_BYTES } = options;
    if (typeof maxLineBytes !== 'number' || !Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new Error(`maxLineBytes must be a positive integer, got ${JSON.stringify(maxLineBytes)}`);
    }
    return readerPlugin('quickdraw', options, async () => {
      const path = requirePath(common, 'quickdraw');
      const files = await categoryFiles(path);
      const categories = selectCategories([...files.keys()], common.categories, path);
      return categoryDataset('quickdraw', categories, common, (category, log) => readQuickDrawFile(files.get(category)!, category, log, { maxLineBytes }));
    });
  },
};

export interface QuickDrawFileOptions {
  /** Longest ndjson line read, in bytes (default MAX_NDJSON_LINE_BYTES); a longer one is reported and skipped. */
  maxLineBytes?: number;
}

/** category -> file; a folder's `.ndjson` wins over a `.bin` of the same category. */
async function categoryFiles(path: string): Promise<Map<string, string>> {
  if (!(await isDirectory(path))) {
    if (!EXTENSIONS.includes(extname(path).toLowerCase())) throw new Error(`${path}: not a Quick, Draw! file (expected .ndjson or .bin)`);
    return new Map([[stem(path), path]]);
  }
  const names = (await readdir(path)).filter((name) => EXTENSIONS.includes(extname(name).toLowerCase())).sort();
  const files = new Map<string, string>();
  for (const name of names) {
    const category = stem(name);
    if (!files.has(category) || extname(name).toLowerCase() === '.ndjson') files.set(category, join(path, name));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function readQuickDrawFile(file: string, category: string, log: ProblemLog, options: QuickDrawFileOptions = {}): AsyncIterable<Sketch> {
  return extname(file).toLowerCase() === '.bin'
    ? readQuickDrawBinary(file, category, log)
    : readQuickDrawNdjson(file, category, log, options.maxLineBytes ?? MAX_NDJSON_LINE_BYTES);
}

async function* readQuickDrawNdjson(file: string, category: string, log: ProblemLog, maxLineBytes: number): AsyncGenerator<Sketch> {
  const name = basename(file);
  let line = 0;
  try {
    for await (const next of readLines(file, maxLineBytes)) {
      line = next.line;
      if ('tooLong' in next) {
        log.report({ file, line, reason: `line longer than ${maxLineBytes} bytes` });
        continue;
      }
      const { text } = next;
      if (text.trim().length === 0) continue; // blank lines carry no drawing
      // A byte-order mark (editors on Windows) is not part of the first record.
      const parsed = parseQuickDrawLine(line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      if (typeof parsed === 'string') {
        log.report({ file, line, reason: parsed });
        continue;
      }
      yield { label: category, id: parsed.keyId ?? `${name}:${line}`, strokes: parsed.strokes };
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'InputError') throw error;
    throw new Error(`${file}: cannot be read after line ${line} (${(error as Error).message})`, { cause: error });
  }
}
