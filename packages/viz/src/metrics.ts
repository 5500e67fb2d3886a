// Training curves from a run's metrics.jsonl: loss, top-1/top-5 (train and test) and learning rate,
// several runs overlaid.
import { panelGrid, renderVegaLite, type VegaLiteSpec } from './vega.js';

/** One line of metrics.jsonl (see the trainer's TrainEvent); unknown fields are kept. */
export interface MetricEvent {
  type: string;
  step?: number;
  epoch?: number;
  split?: string;
  [field: string]: unknown;
}

/** One line as an event, or why it is not one. */
function parseEventLine(line: string): { why: string } | { event: MetricEvent } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { why: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as MetricEvent).type !== 'string') {
    return { why: `expected an event object with a string "type", got ${line.slice(0, 80)}` };
  }
  return { event: value as MetricEvent };
}

/** The `start` event of a resumed run: what the trainer writes first when it continues after a crash. */
const isResumeStart = (parsed: ReturnType<typeof parseEventLine> | undefined): boolean =>
  parsed !== undefined && 'event' in parsed && parsed.event.type === 'start' && parsed.event['resumedFrom'] !== undefined;

/**
 * Parses metrics.jsonl text; a bad line throws an error naming `source` and the 1-based line. A line torn by a
 * crash (the process killed or the disk full mid-write) is skipped and reported through `onNote` instead: a bad
 * last line with no newline after it, or a bad line just before a resumed run's `start` event (the trainer's log
 * starts a new line after a torn one when a run is resumed).
 */
export function parseMetricsJsonl(text: string, source = 'metrics.jsonl', onNote?: (note: string) => void): MetricEvent[] {
  const raw = text.split('\n');
  const lines = raw
    .map((line, index) => ({ number: index + 1, parsed: line.trim() === '' ? undefined : parseEventLine(line.trim()) }))
    .filter((line): line is { number: number; parsed: ReturnType<typeof parseEventLine> } => line.parsed !== undefined);
  const events: MetricEvent[] = [];
  lines.forEach(({ number, parsed }, index) => {
    if ('event' in parsed) {
      events.push(parsed.event);
      return;
    }
    const unterminated = number === raw.length; // the write stopped before the line's newline
    if (!unterminated && !isResumeStart(lines[index + 1]?.parsed)) throw new Error(`${source}:${number}: ${parsed.why}`);
    onNote?.(`${source}:${number}: skipped a line torn by a crash (${unterminated ? 'the last line, unfinished' : 'just before a resumed run'}): ${parsed.why}`);
  });
  return events;
}

export interface RunMetrics {
  /** Legend entry, e.g. the run folder's name. */
  label: string;
  events: readonly MetricEvent[];
  /**
   * Added to every step: a run initialized from another run's weights starts where that one ended, so runs
   * compare at equal total training (e.g. 30 vanilla + 30 binary epochs beside 60 vanilla ones).
   */
  stepOffset?: number;
}

export type CurveMetric = 'loss' | 'top1' | 'top5' | 'lr';

export interface CurvePoint {
  run: string;
  metric: CurveMetric;
  /** "train" for step events; the eval split otherwise, with " 10-view" (summed scores) or " 10-view vote" for multi-view accuracy. */
  series: string;
  step: number;
  value: number;
}

export interface CurveOptions {
  /** Train step series are averaged in consecutive buckets down to this many points (noise reduction). */
  maxPointsPerSeries?: number;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function bucketMeans(points: CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints) return points;
  const size = Math.ceil(points.length / maxPoints);
  const out: CurvePoint[] = [];
  for (let start = 0; start < points.length; start += size) {
    const bucket = points.slice(start, start + size);
    const mean = (f: (p: CurvePoint) => number) => bucket.reduce((s, p) => s + f(p), 0) / bucket.length;
    out.push({ ...bucket[0]!, step: mean((p) => p.step), value: mean((p) => p.value) });
  }
  return out;
}

/** The points the curves are drawn from (pure; exposed for tests and custom charts). */
export function trainingCurvePoints(runs: readonly RunMetrics[], options: CurveOptions = {}): CurvePoint[] {
  const maxPoints = options.maxPointsPerSeries ?? 400;
  const points: CurvePoint[] = [];
  for (const run of runs) {
    const series = new Map<string, CurvePoint[]>();
    const add = (metric: CurveMetric, name: string, step: number, value: unknown) => {
      if (!finite(value)) return;
      const key = `${metric}\u0000${name}`;
      if (!series.has(key)) series.set(key, []);
      series.get(key)!.push({ run: run.label, metric, series: name, step, value });
    };
    const offset = run.stepOffset ?? 0;
    let lastStep = offset;
    for (const event of run.events) {
      const step = finite(event.step) ? event.step + offset : lastStep;
      lastStep = step;
      if (event.type === 'start' && event['resumedFrom'] !== undefined) {
        // A resumed run logs again from its checkpoint's step: the steps after it that were logged before the
        // interruption were redone, so the new ones replace them.
        for (const list of series.values()) while (list.length > 0 && list.at(-1)!.step > step) list.pop();
      } else if (event.type === 'step') {
        for (const metric of ['loss', 'top1', 'top5', 'lr'] as const) add(metric, 'train', step, event[metric]);
      } else if (event.type === 'eval') {
        const split = typeof event.split === 'string' ? event.split : 'test';
        for (const metric of ['loss', 'top1', 'top5'] as const) add(metric, split, step, event[metric]);
        add('top1', `${split} 10-view`, step, event['top1TenView']);
        add('top5', `${split} 10-view`, step, event['top5TenView']);
        add('top1', `${split} 10-view vote`, step, event['top1Vote']);
        add('top5', `${split} 10-view vote`, step, event['top5Vote']);
      }
    }
    for (const [key, list] of series) points.push(...(key.endsWith('\u0000train') ? bucketMeans(list, maxPoints) : list));
  }
  return points;
}

const panelTitles: Record<CurveMetric, string> = { loss: 'Loss', top1: 'Top-1 accuracy', top5: 'Top-5 accuracy', lr: 'Learning rate' };

/** The Vega-Lite spec of the curves: one panel per metric present, color = run, dash = split. */
export function trainingCurvesSpec(runs: readonly RunMetrics[], options: CurveOptions = {}): VegaLiteSpec {
  const points = trainingCurvePoints(runs, options);
  if (points.length === 0) throw new Error(`no step or eval events with metrics in runs ${runs.map((r) => `"${r.label}"`).join(', ')}`);
  const metrics = (Object.keys(panelTitles) as CurveMetric[]).filter((m) => points.some((p) => p.metric === m));
  const runNames = runs.map((r) => r.label);
  const panels = metrics.map((metric) => {
    const values = points.filter((p) => p.metric === metric);
    const positive = values.every((p) => p.value > 0);
    const spread = Math.max(...values.map((p) => p.value)) / Math.min(...values.map((p) => p.value));
    const logScale = (metric === 'lr' || metric === 'loss') && positive && spread > 20;
    return {
      title: panelTitles[metric],
      width: 320,
      height: 200,
      data: { values },
      mark: { type: 'line' as const, strokeWidth: 1.5, clip: true },
      encoding: {
        x: { field: 'step', type: 'quantitative' as const, title: 'step' },
        y: {
          field: 'value', type: 'quantitative' as const, title: metric,
          scale: logScale ? { type: 'log' as const } : metric === 'top1' || metric === 'top5' ? { domain: [0, 1] } : { zero: false },
        },
        color: { field: 'run', type: 'nominal' as const, title: 'run', scale: { domain: runNames } },
        strokeDash: { field: 'series', type: 'nominal' as const, title: 'split' },
        detail: { field: 'series', type: 'nominal' as const },
      },
    };
  });
  return panelGrid('Training curves', panels, 2, { scale: { color: 'shared', strokeDash: 'shared' } });
}

/** Training curves of one or several runs as SVG. */
export async function trainingCurvesSvg(runs: readonly RunMetrics[], options: CurveOptions = {}): Promise<string> {
  return renderVegaLite(trainingCurvesSpec(runs, options));
}
