// Where `export` may write: a new or empty folder, or an earlier bundle it replaces. Never a run folder (a bundle's
// model.json and weights.bin would overwrite the run's) and never inside the run being exported.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { BUNDLE_FORMAT } from '@sketch-xnor/models';
import { CliError } from './errors.js';

const BUNDLE_MANIFEST = 'manifest.json';
/** How many unexpected file names an error lists. */
const NAMES_SHOWN = 5;

/** The real path of `path`, or of its nearest existing parent plus the rest (so symlinks cannot hide a run folder). */
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = resolve(absolute, '..');
  return parent === absolute ? absolute : resolve(realPath(parent), relative(parent, absolute));
}

/** Whether `inner` is `outer` or a folder below it. */
export function isSameOrInside(inner: string, outer: string): boolean {
  const path = relative(realPath(outer), realPath(inner));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/** The files an earlier bundle in `dir` may hold (manifest.json and the files it lists), or why it is not a bundle. */
function bundleFileNames(dir: string): { names: Set<string> } | { why: string } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(resolve(dir, BUNDLE_MANIFEST), 'utf8'));
  } catch {
    return { why: `its ${BUNDLE_MANIFEST} is not valid JSON` };
  }
  const { format, files } = (manifest ?? {}) as { format?: unknown; files?: unknown };
  if (format !== BUNDLE_FORMAT || !Array.isArray(files)) return { why: `its ${BUNDLE_MANIFEST} is not a "${BUNDLE_FORMAT}" manifest` };
  const listed = files.map((file) => (file as { path?: unknown } | null)?.path).filter((path): path is string => typeof path === 'string');
  return { names: new Set([BUNDLE_MANIFEST, ...listed]) };
}

/**
 * Refuses an `--out` that would overwrite anything but an earlier bundle: the run folder itself or a folder inside
 * it, a file, or a folder holding other files (another run, data). A missing or empty folder is fine.
 */
export function checkExportTarget(runDir: string, outDir: string): void {
  function refuse(why: string): never {
    throw new CliError(`export --out ${outDir}: ${why}; choose a new or empty folder, or an earlier bundle to replace`);
  }
  if (isSameOrInside(outDir, runDir)) refuse(`it is ${realPath(outDir) === realPath(runDir) ? 'the run folder' : `inside the run folder ${runDir}`} (its model.json and weights.bin would be overwritten)`);
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) refuse('it is a file, not a folder');
  const present = readdirSync(outDir);
  if (present.length === 0) return;
  if (!present.includes(BUNDLE_MANIFEST)) refuse(`the folder holds files and is not a bundle (no ${BUNDLE_MANIFEST}): ${present.slice(0, NAMES_SHOWN).join(', ')}`);
  const bundle = bundleFileNames(outDir);
  if ('why' in bundle) refuse(`the folder is not an earlier bundle (${bundle.why})`);
  const foreign = present.filter((name) => !bundle.names.has(name));
  if (foreign.length > 0) {
    refuse(`the folder holds files that are not part of the bundle there: ${foreign.slice(0, NAMES_SHOWN).join(', ')}${foreign.length > NAMES_SHOWN ? ', ...' : ''}`);
  }
}
