// SVG geometry for stroke readers: path data (`d`) flattened to polylines, and `transform` attributes as
// affine matrices. Lines (M, L, H, V, Z) keep their points; curves (C, S, Q, T) are cut into enough straight
// pieces that no piece strays more than `tolerance` (in path units) from the curve. Relative forms included.
// Elliptical arcs (A) are refused with a clear reason: the stroke readers of this project never meet them.

/** A polyline in path units. */
export interface Polyline {
  x: number[];
  y: number[];
}

/** Broken path data; the message says what and where (character offset in `d`). */
export class PathDataError extends Error {
  override name = 'PathDataError';
}

/** Path data that flattens to more points than the caller allowed (`maxPoints` of flattenPathData). */
export class PointLimitError extends PathDataError {
  override name = 'PointLimitError';
}

/** How far (in path units) a flattened curve may stray from the true curve (default 0.5). */
export const DEFAULT_FLATNESS = 0.5;
const MAX_PIECES_PER_CURVE = 256;

/** Argument counts of each command (lower case = relative). */
const ARITY: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, z: 0 };

type Token = { command: string; at: number } | { value: number; at: number };

/**
 * Sticky patterns, tried at one position each, never over the remainder: the separator is written
 * `\s*(?:,\s*)?` (not `\s*,?\s*`, whose two runs of spaces backtrack quadratically on a failure).
 */
const TOKEN = /\s*(?:,\s*)?(?:([A-Za-z])|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/y;
const SEPARATORS = /[\s,]*/y;

function tokenize(d: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < d.length) {
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(d);
    if (!match) {
      SEPARATORS.lastIndex = at;
      SEPARATORS.test(d);
      const bad = SEPARATORS.lastIndex;
      if (bad === d.length) break; // only separators left
      throw new PathDataError(`unexpected "${d.slice(bad, bad + 12)}" at character ${bad}`);
    }
    if (match[1] !== undefined) tokens.push({ command: match[1], at });
    else {
      const value = Number(match[2]);
      if (!Number.isFinite(value)) throw new PathDataError(`number "${match[2]}" at character ${at} is not finite`);
      tokens.push({ value, at });
    }
    at = TOKEN.lastIndex;
  }
  return tokens;
}

/**
 * Flattens path data into polylines, one per subpath (each `M` starts one). Throws a `PathDataError` for
 * unknown or unsupported commands, missing or extra numbers, and data that draws nothing; a
 * `PointLimitError` as soon as the polylines would hold more than `maxPoints` points.
 */
export function flattenPathData(d: string, tolerance = DEFAULT_FLATNESS, maxPoints = Infinity): Polyline[] {
  const tokens = tokenize(d);
  if (tokens.length === 0) throw new PathDataError('empty path data');
  const lines: Polyline[] = [];
  let current: Polyline | undefined;
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  // The last control point, for the smooth forms S and T (reflected about the current point).
  let lastCubic: [number, number] | undefined;
  let lastQuadratic: [number, number] | undefined;

  let points = 0;
  const countPoint = () => {
    if (++points > maxPoints) throw new PointLimitError(`more than ${maxPoints} points`);
  };

  const lineTo = (nx: number, ny: number) => {
    if (!current) throw new PathDataError('drawing before the first moveto (M)');
    if (nx !== current.x[current.x.length - 1] || ny !== current.y[current.y.length - 1]) {
      countPoint();
      current.x.push(nx);
      current.y.push(ny);
    }
    x = nx;
    y = ny;
  };

  let index = 0;
  let command = '';
  while (index < tokens.length) {
    const token = tokens[index]!;
    if ('command' in token) {
      command = token.command;
      index++;
      if (!(command.toLowerCase() in ARITY)) {
        throw new PathDataError(`${command.toLowerCase() === 'a' ? 'elliptical arc' : 'unknown'} command "${command}" at character ${token.at}${command.toLowerCase() === 'a' ? ' is not supported' : ''}`);
      }
    } else if (!command) throw new PathDataError(`a number without a command at character ${token.at}`);
    const lower = command.toLowerCase();
    const relative = command !== command.toUpperCase();
    const arity = ARITY[lower]!;
    if (arity === 0) {
      if (current) lineTo(startX, startY);
      lastCubic = lastQuadratic = undefined;
      command = '';
      continue;
    }
    const args: number[] = [];
    for (let k = 0; k < arity; k++) {
      const next = tokens[index + k];
      if (!next || !('value' in next)) {
        throw new PathDataError(`command "${command}" at character ${token.at} needs ${arity} numbers, got ${k}`);
      }
      args.push(next.value);
    }
    index += arity;
    const ox = relative ? x : 0;
    const oy = relative ? y : 0;
    const cubicBefore = lastCubic;
    const quadraticBefore = lastQuadratic;
    lastCubic = lastQuadratic = undefined;
    switch (lower) {
      case 'm': {
        countPoint();
        current = { x: [args[0]! + ox], y: [args[1]! + oy] };
        lines.push(current);
        x = startX = args[0]! + ox;
        y = startY = args[1]! + oy;
        // Pairs after a moveto are implicit linetos.
        command = relative ? 'l' : 'L';
        break;
      }
      case 'l':
        lineTo(args[0]! + ox, args[1]! + oy);
        break;
      case 'h':
        lineTo(args[0]! + ox, y);
        break;
      case 'v':
        lineTo(x, args[0]! + (relative ? y : 0));
        break;
      case 'c':
      case 's': {
        const [c1x, c1y] = lower === 'c' ? [args[0]! + ox, args[1]! + oy] : cubicBefore ? [2 * x - cubicBefore[0], 2 * y - cubicBefore[1]] : [x, y];
        const rest = lower === 'c' ? args.slice(2) : args;
        const c2x = rest[0]! + ox;
        const c2y = rest[1]! + oy;
        cubic(x, y, c1x, c1y, c2x, c2y, rest[2]! + ox, rest[3]! + oy, tolerance, lineTo);
        lastCubic = [c2x, c2y];
        break;
      }
      case 'q':
      case 't': {
        const [cx, cy] = lower === 'q' ? [args[0]! + ox, args[1]! + oy] : quadraticBefore ? [2 * x - quadraticBefore[0], 2 * y - quadraticBefore[1]] : [x, y];
        const end = lower === 'q' ? args.slice(2) : args;
        // A quadratic is the cubic with controls 2/3 of the way to its one control point.
        const ex = end[0]! + ox;
        const ey = end[1]! + oy;
        cubic(x, y, x + (2 / 3) * (cx - x), y + (2 / 3) * (cy - y), ex + (2 / 3) * (cx - ex), ey + (2 / 3) * (cy - ey), ex, ey, tolerance, lineTo);
        lastQuadratic = [cx, cy];
        break;
      }
    }
  }
  return lines;
}

function cubic(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  x3: number,
  y3: number,
  tolerance: number,
  lineTo: (x: number, y: number) => void,
): void {
  // n uniform pieces keep within tolerance when 3/4 * max|second difference| / n^2 <= tolerance.
  const dd = Math.max(Math.hypot(x0 - 2 * x1 + x2, y0 - 2 * y1 + y2), Math.hypot(x1 - 2 * x2 + x3, y1 - 2 * y2 + y3));
  const pieces = Math.min(MAX_PIECES_PER_CURVE, Math.max(1, Math.ceil(Math.sqrt((0.75 * dd) / tolerance))));
  for (let i = 1; i <= pieces; i++) {
    const t = i / pieces;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const e = t * t * t;
    lineTo(a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3);
  }
}

/** An affine map [a, b, c, d, e, f]: (x, y) -> (a x + c y + e, b x + d y + f), as in SVG's matrix(). */
export type Matrix = readonly [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m then n applied to a point is `multiply(m, n)`: n first, then m (SVG's nesting order). */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** Parses an SVG `transform` attribute (translate, scale, rotate, skewX, skewY, matrix; applied right to left). */
const TRANSFORM = /\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?/y;
const BLANK_REST = /\s*$/y;

/** At most this much of a text goes into an error message. */
const quoted = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

export function parseTransform(text: string): Matrix {
  let result = IDENTITY;
  const where = `transform ${quoted(text)}`;
  let at = 0;
  // Each step is tried at one position (sticky), never over a copy of the remainder.
  while (at < text.length) {
    BLANK_REST.lastIndex = at;
    if (BLANK_REST.test(text)) break;
    TRANSFORM.lastIndex = at;
    const match = TRANSFORM.exec(text);
    if (!match) throw new PathDataError(`${where}: cannot read ${quoted(text.slice(at, at + 64).trim())}`);
    const args = match[2]!.split(/[\s,]+/).filter(Boolean).map(Number);
    if (!args.every(Number.isFinite)) throw new PathDataError(`${where}: ${match[1]}(${match[2]!.slice(0, 60)}) has a non-numeric argument`);
    result = multiply(result, transformMatrix(match[1]!, args, where));
    at = TRANSFORM.lastIndex;
  }
  return result;
}

function transformMatrix(kind: string, args: number[], where: string): Matrix {
  const need = (counts: number[]) => {
    if (!counts.includes(args.length)) throw new PathDataError(`${where}: ${kind} takes ${counts.join(' or ')} numbers, got ${args.length}`);
  };
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  switch (kind) {
    case 'matrix':
      need([6]);
      return args as unknown as Matrix;
    case 'translate':
      need([1, 2]);
      return [1, 0, 0, 1, args[0]!, args[1] ?? 0];
    case 'scale':
      need([1, 2]);
      return [args[0]!, 0, 0, args[1] ?? args[0]!, 0, 0];
    case 'rotate': {
      need([1, 3]);
      const cos = Math.cos(radians(args[0]!));
      const sin = Math.sin(radians(args[0]!));
      const rotation: Matrix = [cos, sin, -sin, cos, 0, 0];
      if (args.length === 1) return rotation;
      const [, cx, cy] = args as [number, number, number];
      return multiply(multiply([1, 0, 0, 1, cx, cy], rotation), [1, 0, 0, 1, -cx, -cy]);
    }
    case 'skewX':
      need([1]);
      return [1, 0, Math.tan(radians(args[0]!)), 1, 0, 0];
    default:
      need([1]);
      return [1, Math.tan(radians(args[0]!)), 0, 1, 0, 0];
  }
}

/** Maps a polyline through a matrix (in place). */
export function transformPolyline(line: Polyline, m: Matrix): Polyline {
  for (let i = 0; i < line.x.length; i++) {
    const px = line.x[i]!;
    const py = line.y[i]!;
    line.x[i] = m[0] * px + m[2] * py + m[4];
    line.y[i] = m[1] * px + m[3] * py + m[5];
  }
  return line;
}
