// The helpers the file readers share (Node: folders, file lists, the TU-Berlin category layout).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ProblemLog } from '../problems.js';
import type { Sketch } from '../types.js';
import { categoryDataset, requirePath, selectCategories, type CommonOptions, type Dataset } from './reader.js';

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new Error(`${path}: cannot be read (${(error as Error).message})`, { cause: error });
  }
}

/** Sub-folders of `root`, sorted. */
export async function subfolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Files of `folder` with one of the extensions (lower-case, with the dot), by the number in the name, then by name. */
export async function filesWithExtension(folder: string, extensions: readonly string[]): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && extensions.includes(extname(entry.name).toLowerCase())).map((entry) => entry.name);
  return files.sort((a, b) => fileNumber(a) - fileNumber(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function fileNumber(name: string): number {
  const match = /(\d+)\D*$/.exec(name);
  return match ? Number(match[1]) : Infinity;
}

/** `cat.ndjson` -> `cat`. */
export function stem(file: string): string {
  return basename(file, extname(file));
}

/**
 * The TU-Berlin layout: `root/<category>/<n>.<ext>`, or a single file whose category is its folder's name.
 * Ids are paths relative to the root (`airplane/1.svg`).
 */
export async function openCategoryFolders(
  kind: string,
  options: CommonOptions,
  extensions: readonly string[],
  readFile: (file: string, id: string, category: string, log: ProblemLog) => Promise<Sketch | undefined>,
  archiveFolder?: string,
): Promise<Dataset> {
  const path = requirePath(options, kind);
  if (!(await isDirectory(path))) {
    const category = basename(join(path, '..'));
    const categories = selectCategories([category], options.categories, path);
    return categoryDataset(kind, categories, options, async function* (_, log) {
      const sketch = await readFile(path, basename(path), category, log);
      if (sketch) yield sketch;
    });
  }
  const { root, strayFolders } = await categoriesRoot(path, archiveFolder);
  const categories = selectCategories(await subfolders(root), options.categories, root);
  return categoryDataset(kind, categories, options, async function* (category, log) {
    // folders beside the distribution's own (the archive's top folder) are reported once per pass, not read
    if (category === categories[0]) {
      for (const stray of strayFolders) log.report({ file: join(path, stray), reason: `not a category folder: the categories are in ${join(path, archiveFolder!)}; skipped` });
    }
    for (const name of await filesWithExtension(join(root, category), extensions)) {
      const sketch = await readFile(join(root, category, name), `${category}/${name}`, category, log);
      if (sketch) yield sketch;
    }
  });
}

/**
 * Where the category folders are: `path` itself, or, when `path` is an extracted distribution (its archive's top
 * folder, e.g. TU-Berlin's `svg/`, holding the category folders), that folder; other folders beside it are strays.
 */
async function categoriesRoot(path: string, archiveFolder: string | undefined): Promise<{ root: string; strayFolders: string[] }> {
  const folders = await subfolders(path);
  if (!archiveFolder || !folders.includes(archiveFolder)) return { root: path, strayFolders: [] };
  const inner = join(path, archiveFolder);
  if ((await subfolders(inner)).length === 0) return { root: path, strayFolders: [] };
  return { root: inner, strayFolders: folders.filter((folder) => folder !== archiveFolder && !folder.startsWith('.')) };
}

/** One line of a text file (1-based `line`), or the number of a line that was longer than the limit. */
export type FileLine = { line: number; text: string } | { line: number; tooLong: true };

/**
 * The lines of a file, streamed: `\n` ends a line (a `\r` before it is dropped). A line longer than
 * `maxBytes` is never held: its bytes are dropped as they come and `{ line, tooLong }` comes instead, so
 * memory stays within `maxBytes` plus one read chunk whatever the file holds.
 */
export async function* readLines(file: string, maxBytes: number): AsyncGenerator<FileLine> {
  const input = createReadStream(file);
  let parts: Buffer[] = [];
  let bytes = 0;
  let tooLong = false;
  let line = 0;
  const finish = (): FileLine => {
    line++;
    const result: FileLine = tooLong ? { line, tooLong } : { line, text: lineText(parts) };
    parts = [];
    bytes = 0;
    tooLong = false;
    return result;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      for (let start = 0; start < chunk.length; ) {
        const newline = chunk.indexOf(0x0a, start);
        const end = newline === -1 ? chunk.length : newline;
        if (!tooLong && bytes + (end - start) > maxBytes) ((tooLong = true), (parts = []));
        if (!tooLong) parts.push(chunk.subarray(start, end));
        bytes += end - start;
        if (newline === -1) break;
        yield finish();
        start = newline + 1;
      }
    }
    if (bytes > 0 || tooLong) yield finish();
  } finally {
    input.destroy();
  }
}

function lineText(parts: Buffer[]): string {
  const text = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
