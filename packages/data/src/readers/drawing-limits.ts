// What every stroke reader checks in a parsed drawing before it becomes a sketch: a drawing that could not be
// drawn (no points, coordinates that are not finite or absurdly far out) is a reported bad record, never a blank
// image that is then classified. Pure: the browser build uses it too.
import type { Stroke } from '../types.js';

/** |coordinate| beyond this (after transforms or normalization) is not a drawing (raw Quick, Draw! is screen pixels). */
export const MAX_COORDINATE = 1e6;
/** More points than this in one drawing is not a sketch. */
export const MAX_POINTS_PER_SKETCH = 100_000;

/** Why one stroke's coordinates are not a drawing (its first bad point), or undefined. */
export function strokeCoordinateProblem(stroke: Stroke): string | undefined {
  const { x, y } = stroke;
  for (let i = 0; i < x.length; i++) {
    // Written so that NaN fails too.
    if (Math.abs(x[i]!) <= MAX_COORDINATE && Math.abs(y[i]!) <= MAX_COORDINATE) continue;
    const finite = Number.isFinite(x[i]) && Number.isFinite(y[i]);
    return `point ${i} is (${x[i]}, ${y[i]}): ${finite ? `beyond +-${MAX_COORDINATE}` : 'not finite'}`;
  }
  return undefined;
}

/** Why `strokes` are not a drawing (no strokes, a stroke without points, bad coordinates, too many points), or undefined. */
export function drawingProblem(strokes: readonly Stroke[]): string | undefined {
  if (strokes.length === 0) return 'empty drawing (no strokes)';
  let points = 0;
  for (let s = 0; s < strokes.length; s++) {
    const stroke = strokes[s]!;
    if (stroke.x.length === 0) return `stroke ${s} has no points`;
    const bad = strokeCoordinateProblem(stroke);
    if (bad) return `stroke ${s}: ${bad}`;
    points += stroke.x.length;
  }
  return points > MAX_POINTS_PER_SKETCH ? `absurd drawing: more than ${MAX_POINTS_PER_SKETCH} points` : undefined;
}
