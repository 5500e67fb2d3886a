// The strokes of a TU-Berlin SVG document's text: pure, for the file reader (tu-berlin-svg.ts) and for browsers.
import { flattenPathData, IDENTITY, multiply, parseTransform, PathDataError, transformPolyline, type Matrix } from '../svg-path.js';
import type { Stroke } from '../types.js';

export type SvgStrokesResult = { strokes: Stroke[] } | { reason: string; line?: number };

/**
 * The strokes of an SVG document: one per subpath of each `<path>` (TU-Berlin paths have one), in id order,
 * in the document's user units with the group transforms applied.
 */
export function parseSvgStrokes(text: string): SvgStrokesResult {
  if (!/<svg[\s>]/.test(text)) return { reason: 'not an SVG document (no <svg> element)' };
  const paths: { order: number; id: number; strokes: Stroke[] }[] = [];
  const transforms: Matrix[] = [IDENTITY];
  // Comments, CDATA and declarations are blanked out (same length, so offsets and lines still match).
  const source = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[\s\S]*?\?>/g, (skipped) => skipped.replace(/[^\n]/g, ' '));
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  for (let match = tag.exec(source); match; match = tag.exec(source)) {
    const [, closing, name, attributeText, selfClosing] = match as unknown as [string, string, string, string, string];
    const line = lineAt(text, match.index);
    if (name === 'g') {
      if (closing) {
        if (transforms.length > 1) transforms.pop();
        continue;
      }
      let matrix: Matrix;
      try {
        matrix = multiply(transforms[transforms.length - 1]!, parseTransform(attributes(attributeText)['transform'] ?? ''));
      } catch (error) {
        return { reason: `<g>: ${(error as Error).message}`, line };
      }
      if (!selfClosing) transforms.push(matrix);
      continue;
    }
    if (name !== 'path' || closing) continue;
    const attrs = attributes(attributeText);
    const d = attrs['d'];
    const where = `<path${attrs['id'] !== undefined ? ` id="${attrs['id']}"` : ''}>`;
    if (d === undefined) return { reason: `${where} has no "d" attribute`, line };
    try {
      const matrix = multiply(transforms[transforms.length - 1]!, parseTransform(attrs['transform'] ?? ''));
      const lines = flattenPathData(d).map((polyline) => transformPolyline(polyline, matrix));
      const id = attrs['id'] !== undefined && /^\s*\d+\s*$/.test(attrs['id']) ? Number(attrs['id']) : NaN;
      paths.push({ order: paths.length, id, strokes: lines.map(({ x, y }) => ({ x: Float32Array.from(x), y: Float32Array.from(y) })) });
    } catch (error) {
      if (!(error instanceof PathDataError)) throw error;
      return { reason: `${where}: broken path data: ${error.message}`, line };
    }
  }
  if (paths.length === 0) return { reason: 'no <path> elements (nothing drawn)' };
  // Drawing order is the id order when every path has a numeric id.
  if (paths.every((p) => Number.isFinite(p.id))) paths.sort((a, b) => a.id - b.id || a.order - b.order);
  return { strokes: paths.flatMap((p) => p.strokes) };
}

function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) result[match[1]!] = decodeEntities(match[2] ?? match[3] ?? '');
  return result;
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
