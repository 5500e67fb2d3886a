import { describe, expect, it } from 'vitest';
import {
  confusionMatrix, confusionMatrixSvg, decodePng, filterGrid, histogram, parseMetricsJsonl, perClassAccuracy, perClassAccuracySvg,
  kernelsByLayerName, signFlips, signFlipsSvg, topConfusions, trainingCurvePoints, trainingCurvesSvg, weightHistogramsSvg, filterGridPng,
  type LayerWeights,
} from '@sketch-xnor/viz';

const log = (label: string, lrScale: number) => [
  ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ type: 'step', step: i + 1, epoch: Math.floor(i / 10), loss: 3 - i * 0.05, top1: i / 40, lr: 0.01 * lrScale / (1 + i) })),
  JSON.stringify({ type: 'epoch', epoch: 0 }),
  ...[10, 20, 30].map((step, e) => JSON.stringify({ type: 'eval', step, epoch: e, split: 'test', loss: 2.5 - e * 0.3, top1: 0.2 + 0.1 * e, top5: 0.5 + 0.1 * e, top1TenView: 0.25 + 0.1 * e })),
].join('\n') + '\n';

const countMatches = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('training curves', () => {
  it('parses metrics.jsonl and names the file and line of a bad line', () => {
    expect(parseMetricsJsonl(log('a', 1), 'runs/a/metrics.jsonl')).toHaveLength(34);
    expect(() => parseMetricsJsonl('{"type":"step"}\n{"type": oops}\n', 'runs/a/metrics.jsonl')).toThrow(/runs\/a\/metrics\.jsonl:2: not valid JSON/);
    expect(() => parseMetricsJsonl('{"step":1}\n', 'm.jsonl')).toThrow(/m\.jsonl:1: expected an event object with a string "type"/);
  });

  it('extracts train and test series for every metric and averages long train series into buckets', () => {
    const events = parseMetricsJsonl(log('a', 1));
    const points = trainingCurvePoints([{ label: 'a', events }], { maxPointsPerSeries: 10 });
    const series = (metric: string, name: string) => points.filter((p) => p.metric === metric && p.series === name);
    expect(series('loss', 'train')).toHaveLength(10);
    expect(series('loss', 'train')[0]!.value).toBeCloseTo((3 + 2.95 + 2.9) / 3, 6);
    expect(series('top5', 'test').map((p) => p.value)).toEqual([0.5, 0.6, 0.7].map((v) => expect.closeTo(v, 9)));
    expect(series('top1', 'test 10-view')).toHaveLength(3);
    expect(series('lr', 'train')).toHaveLength(10);
  });

  it('keeps the redone steps of a resumed run, not the ones logged before the interruption', () => {
    const events = [
      { type: 'start', step: 0, epoch: 0 },
      ...[1, 2, 3, 4].map((step) => ({ type: 'step', step, epoch: 0, loss: 10 + step })),
      { type: 'start', step: 2, epoch: 0, resumedFrom: 'runs/a/checkpoint.ckpt' },
      ...[3, 4, 5].map((step) => ({ type: 'step', step, epoch: 0, loss: step })),
    ];
    const loss = trainingCurvePoints([{ label: 'a', events }]).filter((p) => p.metric === 'loss');
    expect(loss.map((p) => [p.step, p.value])).toEqual([[1, 11], [2, 12], [3, 3], [4, 4], [5, 5]]);
  });

  it('starts a run initialized from another at its stepOffset (equal total training on one axis)', () => {
    const events = [{ type: 'start', step: 0 }, ...[1, 2].map((step) => ({ type: 'step', step, loss: step })), { type: 'eval', step: 2, split: 'test', loss: 1 }];
    const points = trainingCurvePoints([{ label: 'bwn', events, stepOffset: 100 }]).filter((p) => p.metric === 'loss');
    expect(points.map((p) => [p.series, p.step])).toEqual([['train', 101], ['train', 102], ['test', 102]]);
  });

  it('renders several runs overlaid in four panels as SVG', async () => {
    const runs = [{ label: 'vanilla-run', events: parseMetricsJsonl(log('a', 1)) }, { label: 'xnor-run', events: parseMetricsJsonl(log('b', 2)) }];
    const svg = await trainingCurvesSvg(runs);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['vanilla-run', 'xnor-run', 'Loss', 'Top-1 accuracy', 'Top-5 accuracy', 'Learning rate']) expect(svg).toContain(text);
    // one line per (run, split) in each panel: loss 2x2, top-1 2x3, top-5 2x1, lr 2x1
    expect(countMatches(svg, /aria-roledescription="line mark"/g)).toBe(14);
  });

  it('refuses runs without metrics', async () => {
    expect(() => trainingCurvePoints([{ label: 'empty', events: [] }])).not.toThrow();
    await expect(trainingCurvesSvg([{ label: 'empty', events: [{ type: 'done' }] }])).rejects.toThrow(/no step or eval events.*"empty"/);
  });
});

describe('confusion matrix', () => {
  it('counts, ranks confusions and computes per-class accuracy', () => {
    const m = confusionMatrix([0, 0, 0, 1, 1, 2, 2, 2], [0, 1, 1, 1, 0, 2, 2, 1], 4);
    expect(Array.from(m.counts)).toEqual([1, 2, 0, 0, 1, 1, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0]);
    expect(topConfusions(m, 2)).toEqual([
      { actual: 0, predicted: 1, count: 2, rate: 2 / 3 },
      { actual: 1, predicted: 0, count: 1, rate: 0.5 },
    ]);
    const accuracy = perClassAccuracy(m);
    expect(Array.from(accuracy.slice(0, 3))).toEqual([1 / 3, 0.5, 2 / 3]);
    expect(accuracy[3]).toBeNaN();
    expect(() => confusionMatrix([0, 5], [0, 1], 4)).toThrow(/label 5 at index 1 is not a class in 0\.\.3/);
  });

  it('prints counts in cells for few classes', async () => {
    const m = confusionMatrix([0, 0, 1, 2], [0, 1, 1, 2], 3);
    const svg = await confusionMatrixSvg(m, ['cat', 'dog', 'bird']);
    expect(countMatches(svg, /aria-roledescription="rect mark"/g)).toBe(4);
    expect(countMatches(svg, /aria-roledescription="text mark"/g)).toBe(4);
    expect(svg).toContain('dog');
  });

  it('stays readable at 250 classes: one cell per non-zero entry, no per-cell text, no axis labels', async () => {
    const n = 250;
    const labels: number[] = [];
    const predictions: number[] = [];
    for (let c = 0; c < n; c++) for (let k = 0; k < 8; k++) { labels.push(c); predictions.push(k < 6 ? c : (c + k) % n); }
    const m = confusionMatrix(labels, predictions, n);
    const names = Array.from({ length: n }, (_, i) => `class-${i}`);
    const svg = await confusionMatrixSvg(m, names);
    expect(countMatches(svg, /aria-roledescription="rect mark"/g)).toBe(n * 3);
    expect(countMatches(svg, /aria-roledescription="text mark"/g)).toBe(0);
    expect(svg).not.toContain('>class-17<');
    expect(svg.length).toBeLessThan(1_000_000);
    const bars = await perClassAccuracySvg(m, names);
    expect(countMatches(bars, /aria-roledescription="bar"/g)).toBe(n);
  });
});

describe('weights', () => {
  const kernel = (values: number[], shape: number[], layer = 'conv1'): LayerWeights => ({ layer, shape, values: Float32Array.from(values), binarized: true });

  it('bins values into an equal-width histogram', () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1], 2, [0, 1]);
    expect(Array.from(h.counts)).toEqual([2, 3]);
    expect(Array.from(h.edges)).toEqual([0, 0.5, 1]);
  });

  it('counts sign flips per layer, with 0 counting as positive', () => {
    const flips = signFlips([kernel([1, -1, 0, 0.5], [4])], [kernel([1, 1, -0.1, 0], [4])]);
    expect(flips).toEqual([{ layer: 'conv1', flipped: 2, total: 4, share: 0.5 }]);
    expect(() => signFlips([kernel([1], [1])], [kernel([1, 2], [2])])).toThrow(/layer "conv1": kernel shape 1 in the first checkpoint but 2/);
  });

  it('finds kernels by layer name and shape in the named weights of a checkpoint', () => {
    const reference = [kernel([1, 2], [2], 'conv1'), kernel([1, 2, 3], [3], 'conv2'), kernel([1], [1], 'fc')];
    const named = [
      { name: 'weights/conv1/kernel', shape: [2], data: [5, 6] },
      { name: 'weights/conv1/bias', shape: [2], data: [0, 0] },
      { name: 'weights/conv2/kernel', shape: [4], data: [1, 1, 1, 1] }, // other shape: not the same layer
      { name: 'fc/kernel', shape: [1], data: [-1] },
    ];
    const found = kernelsByLayerName(named, reference);
    expect(found.map((k) => [k.layer, Array.from(k.values)])).toEqual([['conv1', [5, 6]], ['fc', [-1]]]);
    expect(found[0]!.binarized).toBe(true);
  });

  it('renders histograms and sign flips as SVG with one panel or bar per layer', async () => {
    const layers = [kernel([-0.2, 0.1, 0.3, 0.05], [4], 'conv2'), kernel([0.5, -0.5], [2], 'conv3')];
    const svg = await weightHistogramsSvg(layers, 10);
    expect(svg).toContain('conv2 (binarized)');
    expect(svg).toContain('conv3 (binarized)');
    const bars = await signFlipsSvg(signFlips(layers, layers.map((l) => ({ ...l, values: l.values.map((v) => -v) }))));
    expect(countMatches(bars, /aria-roledescription="bar"/g)).toBe(2);
    expect(countMatches(svg, /aria-roledescription="rect mark"/g)).toBe(20);
  });

  it('draws first-layer filters, one tile per filter, red where positive and blue where negative', () => {
    // 2x2 kernel, 1 input channel, 3 filters; filter 0 = [[1, -1], [0, 0]]
    const values = new Array(12).fill(0);
    values[0 * 3 + 0] = 1; // y0 x0 c0 o0
    values[1 * 3 + 0] = -1; // y0 x1 c0 o0
    values[2 * 3 + 1] = 2; // filter 1
    const grid = filterGrid(kernel(values, [2, 2, 1, 3]), { minTileSize: 4 });
    expect(grid.layout.origins).toHaveLength(3);
    const pixel = (x: number, y: number) => Array.from(grid.image.data.slice((y * grid.image.width + x) * 4, (y * grid.image.width + x) * 4 + 3));
    const [r0, , b0] = pixel(0, 0);
    const [r1, , b1] = pixel(2, 0);
    expect(r0).toBeGreaterThan(b0! + 50);
    expect(b1).toBeGreaterThan(r1! + 50);
    expect(decodePng(filterGridPng(kernel(values, [2, 2, 1, 3])))).toMatchObject({ width: 2 * 40 + 2, height: 2 * 40 + 2 });
  });
});
