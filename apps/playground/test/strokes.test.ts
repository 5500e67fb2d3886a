import { describe, expect, it, vi } from 'vitest';
import { StrokeRecorder, debounce, topK, formatBytes } from '../src/strokes.js';

describe('StrokeRecorder', () => {
  it('records strokes in order, drops jitter below the step, undoes and clears', () => {
    const r = new StrokeRecorder();
    expect(r.isEmpty).toBe(true);
    r.begin(0, 0, 0);
    expect(r.extend(0.5, 0, 1, 1)).toBe(false);
    expect(r.extend(3, 4, 2, 1)).toBe(true);
    r.end();
    r.begin(10, 10, 5);
    r.end();
    expect(r.strokes()).toEqual([
      { xs: [0, 3], ys: [0, 4], ts: [0, 2] },
      { xs: [10], ys: [10], ts: [5] },
    ]);
    r.undo();
    expect(r.strokes()).toHaveLength(1);
    r.begin(1, 1, 9);
    expect(r.drawing).toBe(true);
    r.undo(); // drops the stroke in progress, keeps the finished one
    expect(r.strokes()).toHaveLength(1);
    r.clear();
    expect(r.isEmpty).toBe(true);
    expect(r.extend(1, 1, 1)).toBe(false);
  });
});

describe('debounce', () => {
  it('runs once after the last call, with the last arguments', () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const d = debounce((v: number) => seen.push(v), 100);
    d(1);
    d(2);
    vi.advanceTimersByTime(99);
    expect(seen).toEqual([]);
    d(3);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([3]);
    d(4);
    d.flush();
    expect(seen).toEqual([3, 4]);
    d(5);
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([3, 4]);
    vi.useRealTimers();
  });
});

describe('topK and formatBytes', () => {
  it('orders classes by score', () => {
    expect(topK([0.1, 0.5, 0.2, 0.15, 0.05], ['a', 'b', 'c', 'd', 'e'], 3)).toEqual([
      { label: 'b', score: 0.5 },
      { label: 'c', score: 0.2 },
      { label: 'd', score: 0.15 },
    ]);
  });
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MB');
  });
});
