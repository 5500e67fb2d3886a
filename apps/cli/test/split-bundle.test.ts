// The results protocol through the CLI: a count split of real TU-Berlin files by numeric id, and `eval --bundle
// --latency` reporting the run and its packed bundle from one process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sharedData, tempDir } from './cli-process.js';

const root = tempDir('split-bundle');
const run = join(root, 'xnor');

describe('TU-Berlin count split, export, and eval of run and bundle', () => {
  it('trains on the first 54 / last 26 files of each category and records the split', { timeout: 180_000 }, async () => {
    const args = ['train', '--model', 'sketch-a-net-xnor', '--dataset', 'tu-berlin-png', '--data', join(sharedData, 'tu-berlin-png-40'), '--categories', 'ant,bicycle'];
    const flags = ['--split', 'train:54,test:26', '--size', '45', '--render-size', '52', '--width', '0.125', '--batch', '16', '--max-steps', '2', '--no-progress', '--out', run];
    const trained = await runCli([...args, ...flags]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toContain('2 categories, 108 train / 52 test sketches');
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config.dataset.split).toEqual({ train: 54, test: 26 });
    expect(config.sample).toMatchObject({ renderSize: 52, cropSize: 45 });

    const exported = await runCli(['export', '--run', run, '--out', `${run}.bundle`]);
    expect(exported.code, exported.stderr).toBe(0);
    const evaluated = await runCli(['eval', '--run', run, '--bundle', `${run}.bundle`, '--latency', '3', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    for (const subject of [report, report.bundle]) {
      expect(subject.samples).toBe(52);
      expect(subject.views).toBe(10);
      expect(subject.latencyMs).toBeGreaterThan(0);
      expect(subject.top5).toBeGreaterThanOrEqual(subject.top1);
    }
    expect(report.bundle.path).toBe(`${run}.bundle`);

    const timed = await runCli(['eval', '--run', run, '--bundle', `${run}.bundle`, '--latency', '3', '--latency-only', '--json']);
    expect(timed.code, timed.stderr).toBe(0);
    const latency = JSON.parse(timed.stdout);
    expect(latency.latencyMs).toBeGreaterThan(0);
    expect(latency.bundle.latencyMs).toBeGreaterThan(0);
    expect(latency.top1).toBeUndefined(); // no test split read
  });

  it('--bundle that is not a bundle is named', async () => {
    const { code, stderr } = await runCli(['eval', '--run', run, '--bundle', run]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`--bundle ${run} is not a packed bundle (no manifest.json)`);
  });
});
