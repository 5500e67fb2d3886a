// Stroke removal (Sketch-a-Net, Yu et al. 2017): later and shorter strokes are details, earlier and longer ones
// the outline, so stroke i is removed with probability proportional to exp(alpha * o_i) / exp(beta * l_i).
//
// Normalization chosen here: o_i = i / (n - 1) is the drawing order scaled to [0, 1] (0 = first stroke) and
// l_i = length_i / max_j length_j the length scaled to [0, 1], so alpha and beta mean the same for a 3-stroke
// doodle and a 60-stroke TU-Berlin sketch; p_i = w_i / sum_j w_j with w_i = exp(alpha o_i - beta l_i).
// How many: k is drawn uniformly from {0, ..., floor(maxFraction * n)} and capped at n - 1 (a sketch never loses
// all its strokes; a one-stroke sketch is left alone); the k strokes are drawn from p without replacement
// (renormalized after each pick). The remaining strokes keep their drawing order.
import type { Rng } from '../random.js';
import type { Stroke } from '../types.js';
import { augmentationPlugin, checkKnownOptions, numberOption, strokeLength, type AugmentationFactory } from './augmentation.js';

export interface StrokeRemovalOptions {
  /** Weight of the drawing order: larger removes late strokes more often (default 1). */
  alpha?: number;
  /** Weight of the length: larger spares long strokes more (default 1). */
  beta?: number;
  /** At most this fraction of the strokes is removed (default 0.3). */
  maxFraction?: number;
}

/** The removal probabilities p_i (sum 1) of the strokes, as documented above. */
export function strokeRemovalProbabilities(strokes: readonly Stroke[], alpha: number, beta: number): Float64Array {
  const n = strokes.length;
  const lengths = strokes.map(strokeLength);
  const longest = Math.max(...lengths, 0);
  const weights = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const order = n > 1 ? i / (n - 1) : 0;
    const length = longest > 0 ? lengths[i]! / longest : 0;
    weights[i] = Math.exp(alpha * order - beta * length);
    sum += weights[i]!;
  }
  return weights.map((w) => w / sum);
}

/** Indices of the strokes to remove. */
export function pickStrokesToRemove(probabilities: Float64Array, maxFraction: number, rng: Rng): number[] {
  const n = probabilities.length;
  const count = Math.min(n - 1, rng.int(Math.floor(maxFraction * n) + 1));
  const left = Array.from(probabilities);
  const removed: number[] = [];
  for (let pick = 0; pick < count; pick++) {
    const total = left.reduce((a, b) => a + b, 0);
    let target = rng.next() * total;
    let chosen = -1;
    for (let i = 0; i < n; i++) {
      if (left[i]! <= 0) continue;
      chosen = i; // the last positive one also catches rounding at the very end of the range
      if ((target -= left[i]!) < 0) break;
    }
    removed.push(chosen);
    left[chosen] = 0;
  }
  return removed;
}

export const strokeRemoval: AugmentationFactory = {
  name: 'stroke-removal',
  description: 'removes up to maxFraction of the strokes, later and shorter ones more likely (p ~ exp(alpha*order)/exp(beta*length))',
  create(options) {
    checkKnownOptions(options, ['alpha', 'beta', 'maxFraction']);
    const alpha = numberOption(options, 'alpha', 1, -50, 50);
    const beta = numberOption(options, 'beta', 1, -50, 50);
    const maxFraction = numberOption(options, 'maxFraction', 0.3, 0, 1);
    return augmentationPlugin('stroke-removal', { alpha, beta, maxFraction }, (strokes, rng) => {
      if (strokes.length < 2) return [...strokes];
      const removed = new Set(pickStrokesToRemove(strokeRemovalProbabilities(strokes, alpha, beta), maxFraction, rng));
      return strokes.filter((_, i) => !removed.has(i));
    });
  },
};
