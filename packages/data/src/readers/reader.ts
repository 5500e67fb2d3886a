// What every dataset reader is: a registry plugin built from the `openDataset` options, whose `open()` lists the
// categories and hands out a re-iterable stream of sketches. Browser-safe: the file helpers are in files.ts.
import type { Plugin, PluginConfig } from '@sketch-xnor/registry';
import { createProblemLog, type ProblemLog } from '../problems.js';
import type { InputProblem, Sketch } from '../types.js';

/** Options of `openDataset`; readers read the common ones below and their own extras. */
export interface DatasetOptions {
  /** The reader: `quickdraw`, `tu-berlin-svg`, `tu-berlin-png`, `synthetic`, or any registered one. */
  kind: string;
  /** A folder (one file or sub-folder per category) or a single file. Not needed by `synthetic`. */
  path?: string;
  /** Only these categories, in this order (default: all, sorted). */
  categories?: readonly string[];
  /** Throw on the first bad record instead of skipping and reporting it. */
  strict?: boolean;
  /** Stop reading a category after this many good sketches (default: all). */
  perCategory?: number;
  [option: string]: unknown;
}

export interface Dataset {
  readonly kind: string;
  /** Label names; a sketch's label is one of them. */
  readonly categories: string[];
  /** The sketches, category by category in file order; each call reads the source again. */
  sketches(): AsyncIterable<Sketch>;
  /** Records skipped by the latest pass of `sketches()` (file, line, reason), in reading order. */
  readonly problems: InputProblem[];
}

/** A dataset plugin: built by the registry from the options, opened once they are checked. */
export interface DatasetReader extends Plugin {
  open(): Promise<Dataset>;
}

export interface ReaderFactory {
  readonly name: string;
  readonly description?: string;
  create(options: Record<string, unknown>): DatasetReader;
}

/** Common options checked and defaulted. */
export interface CommonOptions {
  path?: string;
  categories?: string[];
  strict: boolean;
  perCategory: number;
}

export function commonOptions(options: Record<string, unknown>): CommonOptions {
  const { path, categories, strict = false, perCategory = Infinity } = options;
  if (path !== undefined && (typeof path !== 'string' || path.length === 0)) throw new Error(`path must be a non-empty string, got ${JSON.stringify(path)}`);
  if (categories !== undefined && (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string' && c.length > 0))) {
    throw new Error(`categories must be an array of non-empty strings, got ${JSON.stringify(categories)}`);
  }
  if (typeof strict !== 'boolean') throw new Error(`strict must be a boolean, got ${JSON.stringify(strict)}`);
  if (typeof perCategory !== 'number' || !(perCategory >= 0) || (perCategory !== Infinity && !Number.isInteger(perCategory))) {
    throw new Error(`perCategory must be an integer >= 0, got ${JSON.stringify(perCategory)}`);
  }
  if (categories && new Set(categories).size !== categories.length) throw new Error(`categories lists a category twice: ${categories.join(', ')}`);
  return { path, categories: categories as string[] | undefined, strict, perCategory };
}

export function requirePath(options: CommonOptions, kind: string): string {
  if (options.path === undefined) throw new Error(`the ${kind} dataset needs a path (a folder or a file)`);
  return options.path;
}

/** A reader plugin whose config is the options it was made from. */
export function readerPlugin(name: string, options: Record<string, unknown>, open: () => Promise<Dataset>): DatasetReader {
  return { name, getConfig: (): PluginConfig => ({ ...options, name }), open };
}

/**
 * A dataset over per-category sources: `read(category, log)` yields that category's good sketches and reports
 * bad records to the log. Every pass starts a fresh problem list and stops a category at `perCategory`.
 */
export function categoryDataset(
  kind: string,
  categories: string[],
  options: CommonOptions,
  read: (category: string, log: ProblemLog) => AsyncIterable<Sketch>,
): Dataset {
  const problems: InputProblem[] = [];
  return {
    kind,
    categories,
    problems,
    async *sketches() {
      problems.length = 0;
      const log = createProblemLog(options.strict);
      for (const category of categories) {
        if (options.perCategory === 0) break;
        let count = 0;
        for await (const sketch of read(category, log)) {
          problems.push(...log.problems.splice(0));
          yield sketch;
          if (++count >= options.perCategory) break;
        }
        problems.push(...log.problems.splice(0));
      }
    },
  };
}

/** Picks the requested categories (in the requested order) out of the available ones, or says which are missing. */
export function selectCategories(available: readonly string[], requested: readonly string[] | undefined, where: string): string[] {
  if (!requested) return [...available];
  const known = new Set(available);
  const missing = requested.filter((category) => !known.has(category));
  if (missing.length > 0) {
    const listed = available.slice(0, 10).map((c) => `"${c}"`).join(', ');
    throw new Error(`${where}: no ${missing.map((c) => `"${c}"`).join(', ')} (${available.length} categories there${available.length ? `, e.g. ${listed}` : ''})`);
  }
  return [...requested];
}
