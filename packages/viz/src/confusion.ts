// Confusion matrices that stay readable at 250 classes: a heatmap without per-cell text at large N
// (zero cells left out), the top confusions as a list, and per-class accuracy sorted.
import { renderVegaLite, vegaLiteSchema, type VegaLiteSpec } from './vega.js';

export interface ConfusionMatrix {
  classCount: number;
  /** Row = true class, column = predicted class; counts[actual * classCount + predicted]. */
  counts: Int32Array;
}

/** Counts (true, predicted) pairs; out-of-range labels throw an error naming the index. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, classCount: number): ConfusionMatrix {
  if (labels.length !== predictions.length) throw new Error(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions`);
  const counts = new Int32Array(classCount * classCount);
  for (let i = 0; i < labels.length; i++) {
    const actual = labels[i]!;
    const predicted = predictions[i]!;
    for (const [what, value] of [['label', actual], ['prediction', predicted]] as const) {
      if (!Number.isInteger(value) || value < 0 || value >= classCount) {
        throw new Error(`confusionMatrix: ${what} ${value} at index ${i} is not a class in 0..${classCount - 1}`);
      }
    }
    counts[actual * classCount + predicted]!++;
  }
  return { classCount, counts };
}

function checkNames(matrix: ConfusionMatrix, categories: readonly string[]): void {
  if (categories.length !== matrix.classCount) throw new Error(`${categories.length} category names for a ${matrix.classCount}-class confusion matrix`);
}

/** Accuracy per true class; NaN for a class without samples. */
export function perClassAccuracy(matrix: ConfusionMatrix): Float64Array {
  const n = matrix.classCount;
  const accuracy = new Float64Array(n);
  for (let actual = 0; actual < n; actual++) {
    let total = 0;
    for (let predicted = 0; predicted < n; predicted++) total += matrix.counts[actual * n + predicted]!;
    accuracy[actual] = total === 0 ? NaN : matrix.counts[actual * n + actual]! / total;
  }
  return accuracy;
}

export interface Confusion {
  actual: number;
  predicted: number;
  count: number;
  /** Share of the true class's samples that went to `predicted`. */
  rate: number;
}

/** The largest off-diagonal cells, most frequent first (ties: lower class indices first). */
export function topConfusions(matrix: ConfusionMatrix, limit = 20): Confusion[] {
  const n = matrix.classCount;
  const rowTotals = Array.from({ length: n }, (_, a) => matrix.counts.subarray(a * n, a * n + n).reduce((s, c) => s + c, 0));
  const cells: Confusion[] = [];
  for (let actual = 0; actual < n; actual++) {
    for (let predicted = 0; predicted < n; predicted++) {
      const count = matrix.counts[actual * n + predicted]!;
      if (actual !== predicted && count > 0) cells.push({ actual, predicted, count, rate: count / rowTotals[actual]! });
    }
  }
  return cells.sort((a, b) => b.count - a.count || a.actual - b.actual || a.predicted - b.predicted).slice(0, limit);
}

export interface ConfusionChartOptions {
  /** Per-cell counts are printed up to this many classes. Default 20. */
  maxClassesWithText?: number;
  /** Axis labels are shown up to this many classes (beyond, use the top-confusion list). Default 80. */
  maxClassesWithLabels?: number;
}

/** Heatmap of row-normalized rates (color) over true x predicted class; zero cells are not drawn. */
export function confusionMatrixSpec(matrix: ConfusionMatrix, categories: readonly string[], options: ConfusionChartOptions = {}): VegaLiteSpec {
  checkNames(matrix, categories);
  const n = matrix.classCount;
  const cells: { actual: string; predicted: string; count: number; rate: number }[] = [];
  for (let actual = 0; actual < n; actual++) {
    const total = matrix.counts.subarray(actual * n, actual * n + n).reduce((s, c) => s + c, 0);
    for (let predicted = 0; predicted < n; predicted++) {
      const count = matrix.counts[actual * n + predicted]!;
      if (count > 0) cells.push({ actual: categories[actual]!, predicted: categories[predicted]!, count, rate: count / total });
    }
  }
  const cell = Math.max(3, Math.min(24, Math.floor(900 / n)));
  const labels = n <= (options.maxClassesWithLabels ?? 80);
  const axis = labels ? { labelFontSize: Math.min(11, cell) } : { labels: false, ticks: false };
  const order = [...categories];
  const heat = {
    mark: { type: 'rect' as const },
    encoding: {
      x: { field: 'predicted', type: 'nominal' as const, sort: order, scale: { domain: order }, title: 'predicted class', axis: { ...axis, labelAngle: -60 } },
      y: { field: 'actual', type: 'nominal' as const, sort: order, scale: { domain: order }, title: 'true class', axis },
      color: { field: 'rate', type: 'quantitative' as const, title: 'share of true class', scale: { scheme: 'viridis', domain: [0, 1], type: 'sqrt' as const } },
      tooltip: [{ field: 'actual' }, { field: 'predicted' }, { field: 'count' }, { field: 'rate', format: '.2f' }],
    },
  };
  const text = {
    mark: { type: 'text' as const, fontSize: 9 },
    encoding: {
      x: { field: 'predicted', type: 'nominal' as const, sort: order },
      y: { field: 'actual', type: 'nominal' as const, sort: order },
      text: { field: 'count', type: 'quantitative' as const },
      color: { condition: { test: 'datum.rate > 0.5', value: 'black' }, value: 'white' },
    },
  };
  return {
    $schema: vegaLiteSchema,
    title: `Confusion matrix (${n} classes${labels ? '' : '; see the top confusions for names'})`,
    width: cell * n,
    height: cell * n,
    data: { values: cells },
    layer: n <= (options.maxClassesWithText ?? 20) ? [heat, text] : [heat],
  } as VegaLiteSpec;
}

export async function confusionMatrixSvg(matrix: ConfusionMatrix, categories: readonly string[], options: ConfusionChartOptions = {}): Promise<string> {
  return renderVegaLite(confusionMatrixSpec(matrix, categories, options));
}

/** Horizontal bars of per-class accuracy, worst class on top; classes without samples are left out. */
export function perClassAccuracySpec(matrix: ConfusionMatrix, categories: readonly string[]): VegaLiteSpec {
  checkNames(matrix, categories);
  const accuracy = perClassAccuracy(matrix);
  const values = categories
    .map((name, i) => ({ class: name, accuracy: accuracy[i]! }))
    .filter((row) => !Number.isNaN(row.accuracy));
  const step = values.length > 60 ? 9 : 16;
  return {
    $schema: vegaLiteSchema,
    title: 'Per-class accuracy',
    width: 360,
    height: { step },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'class', type: 'nominal', sort: { field: 'accuracy', order: 'ascending' }, title: null, axis: { labelFontSize: step > 10 ? 11 : 8 } },
      x: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy' },
      color: { field: 'accuracy', type: 'quantitative', scale: { scheme: 'redyellowgreen', domain: [0, 1] }, legend: null },
    },
  } as VegaLiteSpec;
}

export async function perClassAccuracySvg(matrix: ConfusionMatrix, categories: readonly string[]): Promise<string> {
  return renderVegaLite(perClassAccuracySpec(matrix, categories));
}
