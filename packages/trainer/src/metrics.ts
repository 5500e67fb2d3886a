// Classification metrics on plain arrays: pure, backend-free, and exact to test.
// Scores are row-major `[rows, classes]`; ties rank the lower class index first, as argmax does,
// so a constant (dead) output scores chance rather than 100%.

function checkShapes(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`metrics: classes must be a positive integer, got ${classes}`);
  if (scores.length !== labels.length * classes) {
    throw new Error(`metrics: ${scores.length} scores do not make ${labels.length} rows of ${classes} classes`);
  }
  return labels.length;
}

/** Position of `label` when row `row` is sorted by descending score (0 = best); NaN scores rank last. */
export function rankOfLabel(scores: ArrayLike<number>, row: number, classes: number, label: number): number {
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new Error(`metrics: label ${label} in row ${row} is outside [0, ${classes})`);
  }
  const base = row * classes;
  const target = scores[base + label]!;
  if (Number.isNaN(target)) return classes - 1;
  let rank = 0;
  for (let c = 0; c < classes; c++) {
    const s = scores[base + c]!;
    if (s > target || (s === target && c < label)) rank++;
  }
  return rank;
}

/** Number of rows whose label is among the `k` highest scores. */
export function countTopK(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number, k: number): number {
  const rows = checkShapes(scores, labels, classes);
  let correct = 0;
  for (let r = 0; r < rows; r++) if (rankOfLabel(scores, r, classes, labels[r]!) < k) correct++;
  return correct;
}

/** Fraction of rows whose label is among the `k` highest scores (NaN for no rows). */
export function topKAccuracy(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number, k: number): number {
  return labels.length === 0 ? NaN : countTopK(scores, labels, classes, k) / labels.length;
}

/** Row-wise softmax of logits, stable (max subtracted first). */
export function softmax(logits: ArrayLike<number>, classes: number): Float64Array {
  const rows = logits.length / classes;
  const out = new Float64Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[base + c] = Math.exp(logits[base + c]! - max);
    for (let c = 0; c < classes; c++) out[base + c]! /= sum;
  }
  return out;
}

/** Mean cross-entropy `-log softmax(logits)[label]`, computed with log-sum-exp so large logits stay finite. */
export function crossEntropy(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  const rows = checkShapes(logits, labels, classes);
  if (rows === 0) return NaN;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[base + c]! - max);
    total += max + Math.log(sum) - logits[base + labels[r]!]!;
  }
  return total / rows;
}

/**
 * Multi-view scores for `samples` samples with `views` consecutive rows each (sample-major, view 0 = center):
 * the sum of per-view softmax probabilities, the rule of the 10-view test in Sketch-A-Net.
 */
export function sumOfSoftmax(logits: ArrayLike<number>, samples: number, views: number, classes: number): Float64Array {
  if (logits.length !== samples * views * classes) {
    throw new Error(`metrics: ${logits.length} logits do not make ${samples} samples x ${views} views x ${classes} classes`);
  }
  const probabilities = softmax(logits, classes);
  const out = new Float64Array(samples * classes);
  for (let s = 0; s < samples; s++) {
    for (let v = 0; v < views; v++) {
      const base = (s * views + v) * classes;
      for (let c = 0; c < classes; c++) out[s * classes + c]! += probabilities[base + c]!;
    }
  }
  return out;
}

/**
 * Majority-vote scores: each view votes for its argmax; a sample's score for a class is its vote count
 * plus the summed softmax divided by (views + 1), which only breaks ties between equal vote counts.
 */
export function voteScores(logits: ArrayLike<number>, samples: number, views: number, classes: number): Float64Array {
  const summed = sumOfSoftmax(logits, samples, views, classes);
  const out = new Float64Array(samples * classes);
  for (let s = 0; s < samples; s++) {
    for (let v = 0; v < views; v++) {
      const row = s * views + v;
      let best = 0;
      for (let c = 1; c < classes; c++) if (logits[row * classes + c]! > logits[row * classes + best]!) best = c;
      out[s * classes + best]! += 1;
    }
    for (let c = 0; c < classes; c++) out[s * classes + c]! += summed[s * classes + c]! / (views + 1);
  }
  return out;
}

/** Rows `views * s` (the center view of each sample) of a sample-major multi-view score matrix. */
export function centerViewRows(logits: ArrayLike<number>, samples: number, views: number, classes: number): Float32Array {
  const out = new Float32Array(samples * classes);
  for (let s = 0; s < samples; s++) {
    for (let c = 0; c < classes; c++) out[s * classes + c] = logits[s * views * classes + c]!;
  }
  return out;
}
