// TU-Berlin sketches as SVG (Eitz et al. 2012): `<root>/<category>/<n>.svg`, or one such file. Each `<path>`
// is one stroke, taken in the order of the numeric `id` attributes (drawing order; document order when ids are
// missing), with the `transform`s of its enclosing groups applied and curves flattened to polylines. A file
// with no paths, with broken path data, coordinates out of range or beyond the limits (MAX_SVG_BYTES,
// MAX_SVG_PATHS, MAX_POINTS_PER_SKETCH) is skipped and reported (with the line of the bad element).
import { readFile, stat } from 'node:fs/promises';
import type { ProblemLog } from '../problems.js';
import type { Sketch } from '../types.js';
import { openCategoryFolders } from './files.js';
import { commonOptions, readerPlugin, type ReaderFactory } from './reader.js';
import { MAX_SVG_BYTES, parseSvgStrokes } from './svg-strokes.js';

export { parseSvgStrokes, MAX_SVG_BYTES, MAX_SVG_PATHS, type SvgStrokesResult } from './svg-strokes.js';

export const tuBerlinSvgReader: ReaderFactory = {
  name: 'tu-berlin-svg',
  description: "TU-Berlin SVG sketches: a folder of '<category>/<n>.svg' (one stroke per <path>) or one .svg file",
  create(options) {
    const common = commonOptions(options);
    return readerPlugin('tu-berlin-svg', options, () =>
      openCategoryFolders('tu-berlin-svg', common, ['.svg'], async (file, id, category, log) => {
        const text = await readText(file, log);
        if (text === undefined) return undefined;
        const parsed = parseSvgStrokes(text);
        if ('reason' in parsed) {
          log.report({ file, ...(parsed.line !== undefined && { line: parsed.line }), reason: parsed.reason });
          return undefined;
        }
        return { label: category, id, strokes: parsed.strokes } satisfies Sketch;
      }, 'svg'),
    );
  },
};

async function readText(file: string, log: ProblemLog): Promise<string | undefined> {
  try {
    // Checked before reading: a huge file is never held in memory.
    const { size } = await stat(file);
    if (size > MAX_SVG_BYTES) {
      log.report({ file, reason: `file of ${size} bytes is larger than ${MAX_SVG_BYTES} bytes (a sketch is a few KB)` });
      return undefined;
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    log.report({ file, reason: `cannot be read (${(error as Error).message})` });
    return undefined;
  }
}
