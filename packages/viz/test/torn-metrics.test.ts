// metrics.jsonl after a crash: the line being written when the process died (or the disk filled) is cut off. That
// one line is skipped with a note; any other bad line is still an error naming the file and line.
import { describe, expect, it } from 'vitest';
import { parseMetricsJsonl } from '../src/index.js';

const FILE = 'runs/a/metrics.jsonl';
const lines = ['{"type":"start","step":0,"epoch":0}', '{"type":"step","step":1,"epoch":0,"loss":2}', '{"type":"step","step":2,"epoch":0,"loss":1.5}'];

describe('parseMetricsJsonl and torn lines', () => {
  it('skips a torn last line (no newline after it) with a note naming the file and line', () => {
    const notes: string[] = [];
    const events = parseMetricsJsonl(`${lines.join('\n')}\n{"type":"step","step":3,"ep`, FILE, (note) => notes.push(note));
    expect(events.map((e) => e.step)).toEqual([0, 1, 2]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^runs\/a\/metrics\.jsonl:4: skipped a line torn by a crash \(the last line, unfinished\)/);
  });

  it('skips a torn line that a resumed run started a new line after', () => {
    const notes: string[] = [];
    const resumed = '{"type":"start","step":2,"epoch":0,"resumedFrom":"runs/a/checkpoint.ckpt"}';
    const events = parseMetricsJsonl(`${lines.join('\n')}\n{"type":"step","st\n${resumed}\n`, FILE, (note) => notes.push(note));
    expect(events.map((e) => e.type)).toEqual(['start', 'step', 'step', 'start']);
    expect(notes[0]).toMatch(/metrics\.jsonl:4: skipped a line torn by a crash \(just before a resumed run\)/);
  });

  it('a bad line in the middle, or a complete bad last line, stays an error naming file:line', () => {
    expect(() => parseMetricsJsonl(`${lines[0]}\n{"type":"st\n${lines[1]}\n`, FILE)).toThrow(/runs\/a\/metrics\.jsonl:2: not valid JSON/);
    expect(() => parseMetricsJsonl(`${lines[0]}\n[1,2]\n`, FILE)).toThrow(/metrics\.jsonl:2: expected an event object/);
    // a fresh run's start (no resumedFrom) after a bad line is no sign of a crash
    expect(() => parseMetricsJsonl(`${lines[0]}\n{"ty\n${lines[0]}\n`, FILE)).toThrow(/metrics\.jsonl:2: not valid JSON/);
  });
});
