// The README's main job, shortened (1 epoch each, 6 sketches per category): float, XNOR from it, the packed
// bundle, one table with the ratios and the paths; run twice into fresh folders, the accuracies repeat exactly.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/main-job.mjs', import.meta.url));

function mainJob(out: string): { stdout: string; summary: { rows: Array<Record<string, number | string>>; smaller: number; faster: number } } {
  const stdout = execFileSync(process.execPath, [script, '--out', out, '--epochs', '1,1', '--per-category', '6', '--latency-repeats', '3'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { stdout, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

describe('the main job (scripts/main-job.mjs, shortened)', () => {
  it('trains float and XNOR, packs, evaluates all three on one split, prints the table with ratios, repeats exactly', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'main-job-'));
    const first = mainJob(join(scratch, 'a'));
    const lines = first.stdout.split('\n');
    expect(lines).toContain('| model | top-1 center | top-1 10 views | size | latency (batch 1, one thread) |');
    for (const model of ['float Sketch-A-Net', 'XNOR net (training form, float kernels)', 'XNOR net, packed 1-bit bundle']) {
      expect(lines.some((line) => line.startsWith(`| ${model} | `)), model).toBe(true);
    }
    expect(first.stdout).toMatch(/packed vs float: \d+\.\dx smaller, (\d+\.\dx faster|but \d+\.\dx SLOWER at this size on this machine)/);
    for (const path of ['float/model.json', 'xnor/model.json', 'xnor-bundle/manifest.json', 'report/report.html', 'summary.md']) {
      expect(existsSync(join(scratch, 'a', path)), path).toBe(true);
    }
    const [float, xnor, bundle] = first.summary.rows;
    expect(float!.samples).toBe(xnor!.samples);
    expect(bundle!.samples).toBe(xnor!.samples);
    // the bundle computes what the XNOR net computes, and is far smaller than the float model
    expect(bundle!.top1).toBe(xnor!.top1);
    expect(first.summary.smaller).toBeGreaterThan(10);

    const second = mainJob(join(scratch, 'b'));
    const accuracies = (s: typeof first.summary) => s.rows.map((r) => [r.top1, r.top1TenView, r.bytes]);
    expect(accuracies(second.summary)).toEqual(accuracies(first.summary));
  });
});
