// The strokes of a TU-Berlin SVG document's text: pure, for the file reader (tu-berlin-svg.ts) and for browsers.
// The document is scanned once, left to right, by hand (no regular expression over the remainder, no rescans
// for line numbers), so the time is linear in its size whatever it holds; sizes, path counts and points are
// bounded, and a drawing whose coordinates could not be drawn is refused.
import { DEFAULT_FLATNESS, flattenPathData, IDENTITY, multiply, parseTransform, PathDataError, PointLimitError, transformPolyline, type Matrix } from '../svg-path.js';
import type { Stroke } from '../types.js';
import { MAX_POINTS_PER_SKETCH, strokeCoordinateProblem } from './drawing-limits.js';

/** Largest SVG document read, in bytes (characters for parseSvgStrokes): TU-Berlin's files are 2-60 KB. */
export const MAX_SVG_BYTES = 4 * 1024 * 1024;
/** Most <path> elements in one SVG sketch: TU-Berlin's have 5-100 or so. */
export const MAX_SVG_PATHS = 10_000;

export type SvgStrokesResult = { strokes: Stroke[] } | { reason: string; line?: number };

/**
 * The strokes of an SVG document: one per subpath of each `<path>` (TU-Berlin paths have one), in id order,
 * in the document's user units with the group transforms applied.
 */
export function parseSvgStrokes(text: string): SvgStrokesResult {
  if (text.length > MAX_SVG_BYTES) return { reason: `larger than ${MAX_SVG_BYTES} characters (a sketch is a few KB)` };
  if (!/<svg[\s>]/.test(text)) return { reason: 'not an SVG document (no <svg> element)' };
  const paths: { order: number; id: number; strokes: Stroke[] }[] = [];
  const transforms: Matrix[] = [IDENTITY];
  const lineAt = lineCounter(text);
  let points = 0;
  for (const tag of scanTags(text)) {
    const line = lineAt(tag.offset);
    if ('unclosed' in tag) return { reason: `unclosed ${tag.unclosed}`, line };
    if (tag.name === 'g') {
      if (tag.closing) {
        if (transforms.length > 1) transforms.pop();
        continue;
      }
      let matrix: Matrix;
      try {
        matrix = multiply(transforms[transforms.length - 1]!, parseTransform(parseAttributes(tag.attributeText)['transform'] ?? ''));
      } catch (error) {
        return { reason: `<g>: ${(error as Error).message}`, line };
      }
      if (!tag.selfClosing) transforms.push(matrix);
      continue;
    }
    if (tag.name !== 'path' || tag.closing) continue;
    if (paths.length === MAX_SVG_PATHS) return { reason: `more than ${MAX_SVG_PATHS} <path> elements`, line };
    const attrs = parseAttributes(tag.attributeText);
    const d = attrs['d'];
    const where = `<path${attrs['id'] !== undefined ? ` id="${attrs['id']}"` : ''}>`;
    if (d === undefined) return { reason: `${where} has no "d" attribute`, line };
    let strokes: Stroke[];
    try {
      const matrix = multiply(transforms[transforms.length - 1]!, parseTransform(attrs['transform'] ?? ''));
      const lines = flattenPathData(d, DEFAULT_FLATNESS, MAX_POINTS_PER_SKETCH - points).map((polyline) => transformPolyline(polyline, matrix));
      strokes = lines.map(({ x, y }) => ({ x: Float32Array.from(x), y: Float32Array.from(y) }));
    } catch (error) {
      if (error instanceof PointLimitError) return { reason: `${where}: more than ${MAX_POINTS_PER_SKETCH} points`, line };
      if (!(error instanceof PathDataError)) throw error;
      return { reason: `${where}: broken path data: ${error.message}`, line };
    }
    // Coordinates of 1e300 or a scale(1e308) would otherwise render as a blank image.
    for (const stroke of strokes) {
      const bad = strokeCoordinateProblem(stroke);
      if (bad) return { reason: `${where}: ${bad}`, line };
      points += stroke.x.length;
    }
    const id = attrs['id'] !== undefined && /^\s*\d+\s*$/.test(attrs['id']) ? Number(attrs['id']) : NaN;
    paths.push({ order: paths.length, id, strokes });
  }
  if (paths.length === 0) return { reason: 'no <path> elements (nothing drawn)' };
  // Drawing order is the id order when every path has a numeric id.
  if (paths.every((p) => Number.isFinite(p.id))) paths.sort((a, b) => a.id - b.id || a.order - b.order);
  return { strokes: paths.flatMap((p) => p.strokes) };
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  /** The text between the name and the closing `>` (or `/>`). */
  attributeText: string;
  offset: number;
}

/** Where the document stops being readable: a tag, comment or section that is never closed. */
interface Unclosed {
  unclosed: string;
  offset: number;
}

/** Markup that is skipped whole: its opening, its end, and what it is called when never closed. */
const SKIPPED: readonly [string, string, string][] = [
  ['<!--', '-->', 'comment (<!-- without -->)'],
  ['<![CDATA[', ']]>', 'CDATA section'],
  ['<?', '?>', 'processing instruction (<? without ?>)'],
  ['<!', '>', 'declaration (<! without >)'],
];

/**
 * The element tags of a document in order, comments, CDATA and declarations skipped; stops at the first
 * construct that is never closed. Every character is looked at a bounded number of times.
 */
function* scanTags(text: string): Generator<Tag | Unclosed> {
  let at = 0;
  for (let open = text.indexOf('<', at); open !== -1; open = text.indexOf('<', at)) {
    const skipped = SKIPPED.find(([start]) => text.startsWith(start, open));
    if (skipped) {
      const end = text.indexOf(skipped[1], open + skipped[0].length);
      if (end === -1) {
        yield { unclosed: skipped[2], offset: open };
        return;
      }
      at = end + skipped[1].length;
      continue;
    }
    const closing = text.charCodeAt(open + 1) === SLASH;
    const nameStart = open + (closing ? 2 : 1);
    if (!isLetter(text.charCodeAt(nameStart))) {
      at = open + 1; // a stray '<' in text
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
    const name = text.slice(nameStart, nameEnd);
    const end = tagEnd(text, nameEnd);
    if (end === -1) {
      yield { unclosed: `<${name}> tag`, offset: open };
      return;
    }
    const selfClosing = end > nameEnd && text.charCodeAt(end - 1) === SLASH;
    yield { name, closing, selfClosing, attributeText: text.slice(nameEnd, selfClosing ? end - 1 : end), offset: open };
    at = end + 1;
  }
}

/** The `>` that closes a tag whose attributes start at `from` (quoted values may hold `>`), or -1. */
function tagEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === GREATER) return i;
    if (c === QUOTE || c === APOSTROPHE) {
      i = text.indexOf(text[i]!, i + 1);
      if (i === -1) return -1;
    }
  }
  return -1;
}

/** `name="value"` / `name='value'` pairs; anything else between them is skipped. */
function parseAttributes(text: string): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = 0;
  while (i < text.length) {
    if (!isNameChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
    const name = text.slice(start, i);
    let j = skipSpaces(text, i);
    if (text.charCodeAt(j) !== EQUALS) continue;
    j = skipSpaces(text, j + 1);
    const quote = text.charCodeAt(j);
    if (quote !== QUOTE && quote !== APOSTROPHE) {
      i = j;
      continue;
    }
    const close = text.indexOf(text[j]!, j + 1);
    if (close === -1) break;
    result[name] = decodeEntities(text.slice(j + 1, close));
    i = close + 1;
  }
  return result;
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
}

/** The 1-based line of an offset; offsets must come in increasing order (each newline is found once). */
function lineCounter(text: string): (offset: number) => number {
  let line = 1;
  let next = text.indexOf('\n');
  return (offset) => {
    while (next !== -1 && next < offset) {
      line++;
      next = text.indexOf('\n', next + 1);
    }
    return line;
  };
}

const SLASH = 0x2f;
const GREATER = 0x3e;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09 || text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d)) i++;
  return i;
}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** [A-Za-z0-9_:.-], the characters of element and attribute names here. */
const isNameChar = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x3a || c === 0x2e || c === 0x2d;
