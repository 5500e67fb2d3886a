// One Quick, Draw! ndjson line to strokes (simplified or raw form, detected per line), or the reason it is not a
// drawing. Pure: the file reader (quickdraw.ts) and browsers that fetch ndjson text both use it.
import type { Stroke } from '../types.js';
import { drawingProblem, MAX_COORDINATE, MAX_POINTS_PER_SKETCH } from './drawing-limits.js';

/** The simplified format's box: coordinates 0..255. */
export const QUICKDRAW_BOX = 255;
/**
 * Longest ndjson line a reader holds, in bytes: real simplified lines are under 5 KB, and a raw line of
 * MAX_POINTS_PER_SKETCH points with times is a few MB; a longer line is reported, never held whole.
 */
export const MAX_NDJSON_LINE_BYTES = 8 * 1024 * 1024;

export interface ParsedQuickDrawLine {
  keyId?: string;
  format: 'simplified' | 'raw';
  strokes: Stroke[];
}

/** One ndjson line to strokes, or the reason it is not a drawing. */
export function parseQuickDrawLine(text: string): ParsedQuickDrawLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const trimmed = text.trimEnd();
    return trimmed.startsWith('{') && !trimmed.endsWith('}') ? 'truncated line (the JSON object is not closed)' : `not JSON (${(error as Error).message})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  const drawing = record['drawing'];
  if (!Array.isArray(drawing)) return 'no "drawing" array';
  if (drawing.length === 0) return 'empty drawing (no strokes)';
  const keyId = typeof record['key_id'] === 'string' || typeof record['key_id'] === 'number' ? String(record['key_id']) : undefined;
  const strokes: PlainStroke[] = [];
  let simplified = true;
  let points = 0;
  for (let index = 0; index < drawing.length; index++) {
    const stroke = parseStroke(drawing[index], index);
    if (typeof stroke === 'string') return stroke;
    points += stroke.x.length;
    if (points > MAX_POINTS_PER_SKETCH) return `absurd drawing: more than ${MAX_POINTS_PER_SKETCH} points`;
    if (stroke.t || !inSimplifiedBox(stroke.x) || !inSimplifiedBox(stroke.y)) simplified = false;
    strokes.push(stroke);
  }
  // Normalized in double precision, then stored as Float32 once.
  if (!simplified) normalizeToBox(strokes, QUICKDRAW_BOX);
  const stored = strokes.map(({ x, y, t }) => ({ x: Float32Array.from(x), y: Float32Array.from(y), ...(t && { t: Float64Array.from(t) }) }));
  // What the rasterizer gets must be drawable: never a blank or NaN image.
  const problem = drawingProblem(stored);
  if (problem) return `${simplified ? '' : 'after normalization: '}${problem}`;
  return { ...(keyId !== undefined && { keyId }), format: simplified ? 'simplified' : 'raw', strokes: stored };
}

/** A stroke before it is stored in typed arrays. */
interface PlainStroke {
  x: number[];
  y: number[];
  t?: number[];
}

function parseStroke(value: unknown, index: number): PlainStroke | string {
  const where = `stroke ${index}`;
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return `${where} is not [xs, ys] or [xs, ys, times]`;
  const [xs, ys, ts] = value as unknown[];
  if (!Array.isArray(xs) || !Array.isArray(ys) || (ts !== undefined && !Array.isArray(ts))) return `${where}: coordinates are not arrays`;
  if (xs.length === 0) return `${where} has no points`;
  if (xs.length !== ys.length) return `${where} has ${xs.length} x but ${ys.length} y values`;
  if (ts && ts.length !== xs.length) return `${where} has ${xs.length} points but ${ts.length} times`;
  const x = numbers(xs, `${where} x`, MAX_COORDINATE);
  if (typeof x === 'string') return x;
  const y = numbers(ys, `${where} y`, MAX_COORDINATE);
  if (typeof y === 'string') return y;
  if (!ts) return { x, y };
  const t = numbers(ts, `${where} time`, Number.MAX_SAFE_INTEGER);
  if (typeof t === 'string') return t;
  return { x, y, t };
}

function numbers(values: unknown[], where: string, limit: number): number[] | string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') return `${where}[${i}] is not a number (${JSON.stringify(v)})`;
    // JSON has no NaN/Infinity, but 1e999 parses to Infinity.
    if (!Number.isFinite(v)) return `${where}[${i}] is not finite`;
    if (Math.abs(v) > limit) return `absurd value: ${where}[${i}] = ${v}`;
  }
  return values as number[];
}

function inSimplifiedBox(values: readonly number[]): boolean {
  for (const v of values) if (!Number.isInteger(v) || v < 0 || v > QUICKDRAW_BOX) return false;
  return true;
}

/**
 * Google's normalization of raw drawings: minimum at 0, longest side scaled to `box`, aspect kept; a drawing
 * with no extent (one point) goes to 0. Finite coordinates always give finite results in [0, box].
 */
export function normalizeToBox(strokes: { x: number[] | Float32Array; y: number[] | Float32Array }[], box: number): void {
  let minX = Infinity;
  let minY = Infinity;
  let extent = 0;
  for (const { x, y } of strokes) for (let i = 0; i < x.length; i++) ((minX = Math.min(minX, x[i])), (minY = Math.min(minY, y[i])));
  for (const { x, y } of strokes) for (let i = 0; i < x.length; i++) extent = Math.max(extent, x[i] - minX, y[i] - minY);
  // Divided by the extent, not multiplied by box / extent: for a denormal extent (1e-320) that ratio is
  // Infinity, and 0 * Infinity is NaN.
  const toBox = (offset: number) => (extent > 0 ? (offset / extent) * box : 0);
  for (const { x, y } of strokes) {
    for (let i = 0; i < x.length; i++) {
      x[i] = toBox(x[i] - minX);
      y[i] = toBox(y[i] - minY);
    }
  }
}
