import { describe, expect, it } from 'vitest';
import { flattenPathData, multiply, parseTransform, PathDataError, transformPolyline } from '../src/svg-path.js';

describe('flattenPathData', () => {
  it('keeps the points of straight commands, absolute and relative', () => {
    expect(flattenPathData('M 10 20 L 30 20 H 50 V 60 Z')).toEqual([{ x: [10, 30, 50, 50, 10], y: [20, 20, 20, 60, 20] }]);
    expect(flattenPathData('m10,20 l20,0 h20 v40 z')).toEqual([{ x: [10, 30, 50, 50, 10], y: [20, 20, 20, 60, 20] }]);
    // Implicit lineto after moveto, compact numbers, and two subpaths.
    expect(flattenPathData('M0 0 1 1 2-2M5 5l.5.5')).toEqual([
      { x: [0, 1, 2], y: [0, 1, -2] },
      { x: [5, 5.5], y: [5, 5.5] },
    ]);
  });

  it('flattens cubic and quadratic curves within the tolerance, ending exactly at the end point', () => {
    const [line] = flattenPathData('M0 0 C 0 100 100 100 100 0', 0.25);
    expect(line!.x[line!.x.length - 1]).toBe(100);
    expect(line!.y[line!.y.length - 1]).toBe(0);
    // The curve's midpoint (t = 1/2) is (50, 75); the polyline passes within the tolerance of every curve point.
    const curve = (t: number) => [3 * (1 - t) * t * t * 100 + t ** 3 * 100, 3 * (1 - t) ** 2 * t * 100 + 3 * (1 - t) * t * t * 100];
    for (let k = 0; k <= 100; k++) {
      const [cx, cy] = curve(k / 100);
      let nearest = Infinity;
      for (let i = 1; i < line!.x.length; i++) nearest = Math.min(nearest, distanceToSegment(cx!, cy!, line!.x[i - 1]!, line!.y[i - 1]!, line!.x[i]!, line!.y[i]!));
      expect(nearest).toBeLessThan(0.25);
    }
    // Relative curve = absolute curve; S reflects the last control point; a quadratic equals its cubic form.
    expect(flattenPathData('M10 10 c 0 100 100 100 100 0')).toEqual(flattenPathData('M10 10 C 10 110 110 110 110 10'));
    expect(flattenPathData('M0 0 C 0 50 50 50 50 0 S 100 -50 100 0')).toEqual(flattenPathData('M0 0 C 0 50 50 50 50 0 C 50 -50 100 -50 100 0'));
    const quadratic = flattenPathData('M0 0 Q 50 100 100 0')[0]!;
    const cubicForm = flattenPathData(`M0 0 C ${100 / 3} ${200 / 3} ${100 - 100 / 3} ${200 / 3} 100 0`)[0]!;
    quadratic.x.forEach((x, i) => expect(x).toBeCloseTo(cubicForm.x[i]!, 9));
  });

  it('T and t reflect the last quadratic control point about the current point; after another command it is the point itself', () => {
    const same = (a: string, b: string) => expect(flattenPathData(a)).toEqual(flattenPathData(b));
    same('M0 0 Q 25 50 50 0 T 100 0', 'M0 0 Q 25 50 50 0 Q 75 -50 100 0');
    same('M0 0 Q 25 50 50 0 t 50 0', 'M0 0 Q 25 50 50 0 Q 75 -50 100 0');
    same('M10 10 q 25 50 50 0 t 50 0', 'M10 10 Q 35 60 60 10 Q 85 -40 110 10');
    // chained: each T reflects the control point the previous T implied
    same('M0 0 Q 25 50 50 0 T 100 0 T 150 0', 'M0 0 Q 25 50 50 0 Q 75 -50 100 0 Q 125 50 150 0');
    // no quadratic before (a line, or a cubic): the control point is the current point
    same('M0 0 L 50 0 T 100 50', 'M0 0 L 50 0 Q 50 0 100 50');
    same('M0 0 C 0 50 50 50 50 0 T 100 50', 'M0 0 C 0 50 50 50 50 0 Q 50 0 100 50');
    // and the curve really bends: not the straight line of its end points
    const [bent] = flattenPathData('M0 0 Q 25 50 50 0 T 100 0');
    expect(Math.min(...bent!.y.slice(bent!.x.findIndex((x) => x > 50)))).toBeLessThan(-20);
  });

  it('rejects broken path data with a reason', () => {
    const broken: [string, RegExp][] = [
      ['', /empty path data/],
      ['M 10', /needs 2 numbers, got 1/],
      ['L 10 10', /before the first moveto/],
      ['M 0 0 X 5 5', /unknown command "X"/],
      ['M 0 0 A 5 5 0 0 1 10 10', /elliptical arc command "A".*not supported/],
      ['M 0 0 L 1e999 0', /not finite/],
      ['M 0 0 L 5 # 5', /unexpected "#/],
      ['10 10', /without a command/],
    ];
    for (const [d, reason] of broken) expect(() => flattenPathData(d), d).toThrow(reason);
    expect(() => flattenPathData('M 0 0 X')).toThrow(PathDataError);
  });
});

describe('SVG transforms', () => {
  it('composes transform lists right to left, as SVG nests them', () => {
    const m = parseTransform('translate(87.52,135.4065) scale(1.6233) translate(0,-60)');
    const [x, y] = [10, 100];
    const point = transformPolyline({ x: [x], y: [y] }, m);
    expect(point.x[0]).toBeCloseTo(87.52 + 1.6233 * x, 9);
    expect(point.y[0]).toBeCloseTo(135.4065 + 1.6233 * (y - 60), 9);
    const rotated = transformPolyline({ x: [2], y: [1] }, parseTransform('rotate(90, 1, 1)'));
    expect(rotated.x[0]).toBeCloseTo(1, 9);
    expect(rotated.y[0]).toBeCloseTo(2, 9);
    expect(multiply(parseTransform('matrix(1 0 0 1 5 6)'), parseTransform('scale(2)'))).toEqual([2, 0, 0, 2, 5, 6]);
    expect(() => parseTransform('scale(1, 2, 3)')).toThrow(/scale takes 1 or 2 numbers/);
    expect(() => parseTransform('shear(1)')).toThrow(/cannot read/);
  });
});

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
