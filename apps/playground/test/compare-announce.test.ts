// The page's comparison line, its category list, its screen-reader announcements and its backend picker after a
// failed switch (issue 18), as pure functions.
import { describe, expect, it } from 'vitest';
import { categoriesText, comparisonText, formatRatio } from '../src/compare.js';
import { announcementText, createAnnouncer } from '../src/announce.js';
import { latencyText, modelSummary } from '../src/panel.js';
import { pickerValueAfterSwitch } from '../src/settings.js';

describe('comparison', () => {
  it('says how much smaller and faster the binary model is, from the sizes and the medians measured in the page', () => {
    expect(comparisonText(2_000_000, 140_000, 4.2, 1.0)).toBe('Binary: 14.3x smaller, 4.2x faster than float (median latency in this page)');
    expect(comparisonText(2_000_000, 140_000, 2.0, 3.0)).toBe('Binary: 14.3x smaller, 1.5x slower than float (median latency in this page)');
    expect(comparisonText(2_000_000, 140_000)).toBe('Binary: 14.3x smaller than float; draw to compare their speed');
    expect(comparisonText(100, 200, 1, 1)).toMatch(/^Binary: 2\.0x larger, 1\.0x faster/);
    expect([1.04, 16.24, 140.2].map(formatRatio)).toEqual(['1.0x', '16.2x', '140x']);
  });

  it('lists the categories once when both models know the same ones', () => {
    expect(categoriesText(['cat', 'apple'], ['apple', 'cat'])).toBe('Knows 2 categories: cat, apple');
    expect(categoriesText(['cat'], ['dog', 'cat'])).toBe('Float knows 1 category: cat. Binary knows 2 categories: dog, cat');
    expect(categoriesText(undefined, ['dog'])).toBe('Knows 1 category: dog');
    expect(categoriesText(undefined, undefined)).toBe('');
  });

  it('labels the size and the latency', () => {
    expect(modelSummary({ name: 'm', format: 'run', bytes: 2048, classes: ['a', 'b'], inputSize: 96, channels: 1, where: 'x', kernels: [] })).toBe('Size 2.0 KB · 2 classes · 96px');
    expect(latencyText(3.14, 2.96)).toBe('Latency 3.1 ms · median 3.0 ms');
  });
});

describe('announcements', () => {
  const top = (label: string, score: number) => [{ label, score }, { label: 'dog', score: 0.05 }, { label: 'x', score: 0.01 }];

  it('says the first two answers of each model', () => {
    expect(announcementText({ float: top('cat', 0.81), binary: top('cat', 0.7) })).toBe('Float: cat 81%, dog 5.0%; binary: cat 70%, dog 5.0%');
    expect(announcementText({ binary: top('cat', 0.7) })).toBe('binary: cat 70%, dog 5.0%');
  });

  it('is throttled: at once, then the newest text at the end of the interval, repeats dropped', () => {
    let now = 0;
    const timers: Array<{ at: number; fn: () => void } | undefined> = [];
    const clock = { now: () => now, setTimeout: (fn: () => void, ms: number) => timers.push({ at: now + ms, fn }) - 1, clearTimeout: (h: unknown) => void (timers[h as number] = undefined) };
    const advance = (ms: number) => {
      now += ms;
      for (const [i, t] of timers.entries()) if (t && t.at <= now) (timers[i] = undefined), t.fn();
    };
    const said: string[] = [];
    const announcer = createAnnouncer((text) => said.push(text), 1000, clock);
    announcer.say('a');
    expect(said).toEqual(['a']);
    advance(100);
    announcer.say('b');
    announcer.say('c');
    expect(said).toEqual(['a']); // within the interval: waits
    advance(900);
    expect(said).toEqual(['a', 'c']); // only the newest
    advance(2000);
    announcer.say('c');
    expect(said).toEqual(['a', 'c']); // a repeat is not news
    announcer.cancel();
    announcer.say('c');
    expect(said).toEqual(['a', 'c', 'c']); // after a clear it is
    advance(100);
    announcer.say('d');
    announcer.cancel();
    advance(5000);
    expect(said).toEqual(['a', 'c', 'c']);
    // while the finger is down nothing is said; the newest text when it lifts
    announcer.pause();
    announcer.say('e');
    advance(5000);
    expect(said).toEqual(['a', 'c', 'c']);
    announcer.resume();
    expect(said).toEqual(['a', 'c', 'c', 'e']);
  });
});

describe('backend picker after a switch', () => {
  it('shows the backend the float model runs on, the pick when that is not one it offers', () => {
    expect(pickerValueAfterSwitch('webgl', 'cpu', ['wasm', 'webgl', 'cpu'])).toBe('cpu');
    expect(pickerValueAfterSwitch('webgl', 'webgl', ['wasm', 'webgl', 'cpu'])).toBe('webgl');
    expect(pickerValueAfterSwitch('webgl', 'tensorflow', ['wasm', 'webgl', 'cpu'])).toBe('webgl');
  });
});
