// The project's own labelled sketches: simple shape classes drawn as strokes, with the variation that makes
// them worth learning (random rotation, aspect, scale, position, start point, direction and stroke order, a
// smooth wobble along each stroke, point noise, and now and then a stray scribble). Every sketch comes from
// (seed, class, index) alone, so a subset of classes or a shorter run gives the same drawings.
import { createRng, type Rng } from './random.js';
import type { Sketch, Stroke } from './types.js';

/** The shape classes, in label order. */
export const SYNTHETIC_CATEGORIES = ['circle', 'square', 'triangle', 'star', 'spiral', 'zigzag', 'cross', 'house', 'arrow', 'heart'] as const;
export type SyntheticCategory = (typeof SYNTHETIC_CATEGORIES)[number];

export interface SyntheticOptions {
  /** Largest rotation either way, in degrees (default 40). */
  maxRotation?: number;
  /** Scales the noise (point jitter and stroke wobble); 0 draws clean shapes (default 1). */
  jitter?: number;
  /** Chance of an extra short scribble stroke (default 0.3). */
  strayStroke?: number;
}

type Point = [number, number];
/** A shape in its unit frame (about [-1, 1]^2, y down), as polylines in a canonical stroke order. */
type Outline = Point[][];

const TAU = 2 * Math.PI;

function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, steps: number): Point[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const angle = from + ((to - from) * i) / steps;
    return [cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)] as Point;
  });
}

function regularPolygon(corners: number, radius: number, phase: number): Point[] {
  return Array.from({ length: corners + 1 }, (_, i) => {
    const angle = phase + (TAU * i) / corners;
    return [radius * Math.cos(angle), radius * Math.sin(angle)] as Point;
  });
}

/** A closed loop started at a random corner: people do not all start at the same place. */
function rotateStart(loop: Point[], rng: Rng): Point[] {
  const open = loop.slice(0, -1);
  const start = rng.int(open.length);
  const turned = [...open.slice(start), ...open.slice(0, start)];
  return [...turned, turned[0]!];
}

const OUTLINES: Record<SyntheticCategory, (rng: Rng) => Outline> = {
  circle: (rng) => {
    const start = rng.uniform(0, TAU);
    // Often closed with a small overshoot, as by hand.
    return [arc(0, 0, 1, 1, start, start + TAU * rng.uniform(0.97, 1.1), 40)];
  },
  square: (rng) => {
    const square: Point[] = [[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]];
    if (rng.bool(0.6)) return [rotateStart(square, rng)];
    return [0, 1, 2, 3].map((i) => [square[i]!, square[i + 1]!]);
  },
  triangle: (rng) => {
    const triangle: Point[] = [[0, -1], [1, 0.8], [-1, 0.8], [0, -1]];
    return [rotateStart(triangle, rng)];
  },
  star: (rng) => {
    const corners = 5;
    const inner = rng.uniform(0.35, 0.5);
    const points = Array.from({ length: 2 * corners + 1 }, (_, i) => {
      const radius = i % 2 === 0 ? 1 : inner;
      const angle = -Math.PI / 2 + (Math.PI * i) / corners;
      return [radius * Math.cos(angle), radius * Math.sin(angle)] as Point;
    });
    return [rotateStart(points, rng)];
  },
  spiral: (rng) => {
    const turns = rng.uniform(2, 3.2);
    const start = rng.uniform(0, TAU);
    const steps = Math.round(turns * 24);
    return [
      Array.from({ length: steps + 1 }, (_, i) => {
        const f = i / steps;
        const angle = start + TAU * turns * f;
        return [f * Math.cos(angle), f * Math.sin(angle)] as Point;
      }),
    ];
  },
  zigzag: (rng) => {
    const teeth = 3 + rng.int(4);
    const points = Array.from({ length: 2 * teeth + 1 }, (_, i) => [-1 + i / teeth, i % 2 === 0 ? 0.45 : -0.45] as Point);
    return [points];
  },
  cross: (rng) => {
    const horizontal: Point[] = [[-1, rng.uniform(-0.2, 0.2)], [1, rng.uniform(-0.2, 0.2)]];
    const vertical: Point[] = [[rng.uniform(-0.2, 0.2), -1], [rng.uniform(-0.2, 0.2), 1]];
    return [vertical, horizontal];
  },
  house: (rng) => {
    const roof = rng.uniform(-1, -0.7);
    const walls: Point[] = [[-0.8, -0.1], [-0.8, 1], [0.8, 1], [0.8, -0.1], [-0.8, -0.1]];
    const gable: Point[] = [[-0.95, -0.05], [0, roof], [0.95, -0.05]];
    const outline: Outline = [walls, gable];
    if (rng.bool(0.6)) outline.push([[-0.2, 1], [-0.2, 0.45], [0.2, 0.45], [0.2, 1]]);
    return outline;
  },
  arrow: (rng) => {
    const head = rng.uniform(0.35, 0.55);
    const shaft: Point[] = [[-1, 0], [1, 0]];
    const tip: Point[] = [[1 - head, -head * 0.8], [1, 0], [1 - head, head * 0.8]];
    return [shaft, tip];
  },
  heart: (rng) => {
    const left = [...arc(-0.45, -0.35, 0.5, 0.45, 0, -Math.PI, 16), [-0.9, 0] as Point, [0, 0.95] as Point];
    const right = [...arc(0.45, -0.35, 0.5, 0.45, Math.PI, 2 * Math.PI, 16), [0.9, 0] as Point, [0, 0.95] as Point];
    if (rng.bool(0.5)) return [left, right];
    return [[...left, ...right.slice().reverse()]];
  },
};

/** Points every `step` units along a polyline (the corners kept), so noise looks alike on every shape. */
function densify(points: Point[], step: number): Point[] {
  const dense: Point[] = [points[0]!];
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    const pieces = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let k = 1; k <= pieces; k++) dense.push([x0 + ((x1 - x0) * k) / pieces, y0 + ((y1 - y0) * k) / pieces]);
  }
  return dense;
}

function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** One drawing of `category`, in a 0..255 box like Quick, Draw!'s simplified format. */
export function drawSyntheticShape(category: SyntheticCategory, rng: Rng, options: SyntheticOptions = {}): Stroke[] {
  const outline = OUTLINES[category];
  if (!outline) throw new Error(`unknown synthetic category "${category}"; known: ${SYNTHETIC_CATEGORIES.join(', ')}`);
  const { maxRotation = 40, jitter = 1, strayStroke = 0.3 } = options;
  // Hand-drawn corners are never where they should be: move every corner of a straight-edged shape a little.
  const polylines = outline(rng).map((polyline) =>
    polyline.length > 12 ? polyline : polyline.map(([x, y]) => [x + rng.normal(0, 0.08 * jitter), y + rng.normal(0, 0.08 * jitter)] as Point),
  );
  if (rng.bool(0.3)) shuffleInPlace(polylines, rng);
  if (strayStroke > 0 && rng.bool(strayStroke)) {
    const [sx, sy] = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
    polylines.push(Array.from({ length: 3 + rng.int(3) }, () => [sx + rng.uniform(-0.3, 0.3), sy + rng.uniform(-0.3, 0.3)] as Point));
  }

  const angle = (rng.uniform(-maxRotation, maxRotation) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const aspect = Math.exp(rng.uniform(-0.35, 0.35));
  const scale = rng.uniform(50, 110);
  const [cx, cy] = [rng.uniform(100, 155), rng.uniform(100, 155)];
  const pointNoise = 0.012 * jitter;
  return polylines.map((polyline) => {
    const points = densify(rng.bool(0.3) ? polyline.slice().reverse() : polyline, 0.08);
    // A smooth wobble: a low-frequency sine displacement with random phase, amplitude and frequency per stroke.
    const [wobble, frequency, phase] = [rng.uniform(0, 0.06) * jitter, rng.uniform(0.5, 2), rng.uniform(0, TAU)];
    const x = new Float32Array(points.length);
    const y = new Float32Array(points.length);
    points.forEach(([px, py], i) => {
      const along = (i / Math.max(1, points.length - 1)) * TAU * frequency + phase;
      const ux = px * aspect + wobble * Math.sin(along) + rng.normal(0, pointNoise);
      const uy = py / aspect + wobble * Math.cos(along * 1.3) + rng.normal(0, pointNoise);
      x[i] = Math.min(255, Math.max(0, cx + scale * (cos * ux - sin * uy)));
      y[i] = Math.min(255, Math.max(0, cy + scale * (sin * ux + cos * uy)));
    });
    return { x, y };
  });
}

/** Sketch `index` of `category` for `seed`: the same drawing whatever else is generated. */
export function generateSyntheticSketch(category: SyntheticCategory, index: number, seed = 0, options: SyntheticOptions = {}): Sketch {
  const classIndex = SYNTHETIC_CATEGORIES.indexOf(category);
  if (classIndex < 0) throw new Error(`unknown synthetic category "${category}"; known: ${SYNTHETIC_CATEGORIES.join(', ')}`);
  const rng = createRng(seed).fork(classIndex).fork(index);
  return { label: category, id: `${category}/${index}`, strokes: drawSyntheticShape(category, rng, options) };
}

export interface GenerateSyntheticOptions extends SyntheticOptions {
  seed?: number;
  /** Which classes, in label order (default all of SYNTHETIC_CATEGORIES). */
  categories?: readonly string[];
  /** Sketches per class (default 100). */
  perCategory?: number;
}

/** `perCategory` sketches of every class, category by category. */
export function* generateSynthetic(options: GenerateSyntheticOptions = {}): Generator<Sketch> {
  const { seed = 0, categories = SYNTHETIC_CATEGORIES, perCategory = 100, ...shape } = options;
  const unknown = categories.filter((c) => !(SYNTHETIC_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`unknown synthetic categories ${unknown.map((c) => `"${c}"`).join(', ')}; known: ${SYNTHETIC_CATEGORIES.join(', ')}`);
  if (!Number.isInteger(perCategory) || perCategory < 0) throw new Error(`perCategory must be an integer >= 0, got ${perCategory}`);
  for (const category of categories) {
    for (let index = 0; index < perCategory; index++) yield generateSyntheticSketch(category as SyntheticCategory, index, seed, shape);
  }
}
