import { describe, expect, it } from 'vitest';
import { augmentStrokes, getAugmentation, listAugmentations, registerAugmentation, strokeRemovalProbabilities } from '../src/augment/index.js';
import { createRng } from '../src/random.js';
import { generateSyntheticSketch } from '../src/synthetic.js';
import type { Stroke } from '../src/types.js';

const line = (x0: number, y0: number, x1: number, y1: number, points = 2): Stroke => ({
  x: Float32Array.from({ length: points }, (_, i) => x0 + ((x1 - x0) * i) / (points - 1)),
  y: Float32Array.from({ length: points }, (_, i) => y0 + ((y1 - y0) * i) / (points - 1)),
});
const coordinates = (strokes: Stroke[]) => strokes.map((s) => [Array.from(s.x), Array.from(s.y)]);
const house = generateSyntheticSketch('house', 0, 1).strokes;

describe('augmentStrokes', () => {
  it('is reproducible from the RNG state, differs between seeds, and leaves its input alone', () => {
    const before = coordinates(house);
    const a = augmentStrokes(house, {}, createRng(11));
    expect(coordinates(augmentStrokes(house, {}, createRng(11)))).toEqual(coordinates(a));
    expect(coordinates(augmentStrokes(house, {}, createRng(12)))).not.toEqual(coordinates(a));
    expect(coordinates(house)).toEqual(before);
  });

  it('gives each step its own random stream: switching rotation off does not change which strokes are removed', () => {
    const strokes = Array.from({ length: 12 }, (_, i) => line(i, 0, i, 10 + i));
    const removalOnly = augmentStrokes(strokes, { deformation: false, rotation: false }, createRng(3));
    const withRotation = augmentStrokes(strokes, { deformation: false }, createRng(3));
    // Rotation keeps lengths, and stroke i is 10 + i long: the lengths name the strokes that were kept.
    const lengths = (out: Stroke[]) => out.map((s) => Math.round(Math.hypot(s.x[1]! - s.x[0]!, s.y[1]! - s.y[0]!)));
    expect(lengths(removalOnly).length).toBeLessThan(12);
    expect(lengths(withRotation)).toEqual(lengths(removalOnly));
  });

  it('with every step off returns the same strokes', () => {
    const out = augmentStrokes(house, { strokeRemoval: false, deformation: false, rotation: false }, createRng(1));
    expect(coordinates(out)).toEqual(coordinates(house));
  });

  it('refuses unknown options and names the known ones', () => {
    expect(() => augmentStrokes(house, { rotate: true } as never, createRng(1))).toThrow(/unknown option\(s\) rotate; known: strokeRemoval, deformation, rotation, extra/);
    expect(() => augmentStrokes(house, { rotation: { maxDegree: 5 } as never }, createRng(1))).toThrow(/unknown option\(s\) maxDegree; known: maxDegrees/);
    expect(() => augmentStrokes(house, { rotation: { maxDegrees: -1 } }, createRng(1))).toThrow(/maxDegrees must be a number in \[0, 180\]/);
  });

  it('runs extra registered augmentations after the built-in ones', () => {
    registerAugmentation(
      {
        name: 'test-shift',
        create: (options) => ({
          name: 'test-shift',
          getConfig: () => ({ name: 'test-shift', ...options }),
          apply: (strokes) => strokes.map((s) => ({ x: s.x.map((v) => v + (options['by'] as number)), y: s.y })),
        }),
      },
      { replace: true },
    );
    expect(listAugmentations()).toEqual(expect.arrayContaining(['deformation', 'rotation', 'stroke-removal', 'test-shift']));
    const out = augmentStrokes([line(0, 0, 10, 0)], { strokeRemoval: false, deformation: false, rotation: false, extra: [{ name: 'test-shift', by: 5 }] }, createRng(1));
    expect(Array.from(out[0]!.x)).toEqual([5, 15]);
  });
});

describe('rotation', () => {
  it('turns the drawing about its center by at most maxDegrees, both ways', () => {
    const rotate = getAugmentation({ name: 'rotation', maxDegrees: 5 });
    const angles = Array.from({ length: 200 }, (_, seed) => {
      const [turned] = rotate.apply([line(0, 50, 100, 50)], createRng(seed));
      expect((turned!.x[0]! + turned!.x[1]!) / 2).toBeCloseTo(50, 4);
      expect((turned!.y[0]! + turned!.y[1]!) / 2).toBeCloseTo(50, 4);
      return (Math.atan2(turned!.y[1]! - turned!.y[0]!, turned!.x[1]! - turned!.x[0]!) * 180) / Math.PI;
    });
    expect(Math.max(...angles)).toBeLessThanOrEqual(5.0001);
    expect(Math.min(...angles)).toBeGreaterThanOrEqual(-5.0001);
    expect(Math.max(...angles)).toBeGreaterThan(4);
    expect(Math.min(...angles)).toBeLessThan(-4);
  });
});

describe('stroke removal', () => {
  it('weights stroke i by exp(alpha * order_i) / exp(beta * length_i), order and length scaled to [0, 1]', () => {
    const strokes = [line(0, 0, 10, 0), line(0, 5, 10, 5), line(0, 9, 5, 9)];
    const p = strokeRemovalProbabilities(strokes, 1, 1);
    const w = [Math.exp(0 - 1), Math.exp(0.5 - 1), Math.exp(1 - 0.5)];
    const total = w[0]! + w[1]! + w[2]!;
    expect(Array.from(p).map((v) => +v.toFixed(12))).toEqual(w.map((v) => +(v / total).toFixed(12)));
  });

  it('never removes every stroke, removes at most maxFraction of them, late short strokes most often', () => {
    const strokes = Array.from({ length: 10 }, (_, i) => line(0, i * 10, 100 - i * 9, i * 10));
    const remove = getAugmentation({ name: 'stroke-removal', maxFraction: 0.3 });
    const kept = new Array(10).fill(0);
    for (let seed = 0; seed < 400; seed++) {
      const out = remove.apply(strokes, createRng(seed));
      expect(out.length).toBeGreaterThanOrEqual(7);
      out.forEach((s) => kept[strokes.indexOf(s)]++);
      // What remains keeps its drawing order.
      const order = out.map((s) => strokes.indexOf(s));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(kept[0]).toBeGreaterThan(kept[9]);
    const all = getAugmentation({ name: 'stroke-removal', maxFraction: 1 });
    for (let seed = 0; seed < 200; seed++) expect(all.apply(strokes.slice(0, 2), createRng(seed)).length).toBeGreaterThanOrEqual(1);
    expect(all.apply(strokes.slice(0, 1), createRng(1))).toHaveLength(1);
  });
});

describe('deformation', () => {
  it('moves points by small, smooth amounts and keeps strokes, points and times', () => {
    const stroke = { ...line(0, 0, 200, 0, 41), t: Float64Array.from({ length: 41 }, (_, i) => i * 16) };
    const deform = getAugmentation('deformation');
    const [moved] = deform.apply([stroke, line(0, 50, 200, 100, 41)], createRng(2));
    expect(moved!.t).toBe(stroke.t);
    expect(moved!.x).toHaveLength(41);
    const shifts = Array.from(moved!.x, (x, i) => Math.hypot(x - stroke.x[i]!, moved!.y[i]! - stroke.y[i]!));
    expect(Math.max(...shifts)).toBeGreaterThan(0.1);
    expect(Math.max(...shifts)).toBeLessThan(0.2 * 200);
    // Smooth: neighbouring points move nearly alike (the deformation is no per-point noise).
    const steps = shifts.slice(1).map((s, i) => Math.abs(s - shifts[i]!));
    expect(Math.max(...steps)).toBeLessThan(0.02 * 200);
  });
});
