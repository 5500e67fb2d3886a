// The metrics log after a crash: a resumed run's first event must not be glued onto the line the crash cut off.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonlLogger } from '../src/index.js';
import type { TrainEvent } from '../src/index.js';

const start = { type: 'start', step: 2, epoch: 0, time: '2025-01-01T00:00:00.000Z', batch: 2, epochs: 1, resumedFrom: 'checkpoint.ckpt' } as TrainEvent;

describe('jsonlLogger', () => {
  it('starts a new line after a torn last line, keeping what was written', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jsonl-')), 'metrics.jsonl');
    const torn = '{"type":"step","step":1}\n{"type":"step","st';
    writeFileSync(file, torn);
    jsonlLogger(file).next(start);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toEqual(['{"type":"step","step":1}', '{"type":"step","st', JSON.stringify(start), '']);
  });

  it('appends directly to a log that ends with a whole line, and creates a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    const file = join(dir, 'metrics.jsonl');
    writeFileSync(file, '{"type":"step","step":1}\n');
    jsonlLogger(file).next(start);
    expect(readFileSync(file, 'utf8')).toBe(`{"type":"step","step":1}\n${JSON.stringify(start)}\n`);
    const fresh = join(dir, 'sub', 'metrics.jsonl');
    jsonlLogger(fresh).next(start);
    expect(readFileSync(fresh, 'utf8')).toBe(`${JSON.stringify(start)}\n`);
  });
});
