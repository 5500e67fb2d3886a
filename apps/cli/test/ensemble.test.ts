// Ensembles (#16): eval and predict with several --run (run folders and bundles, mixed) score the mean of the
// members' softmax probabilities. A run with itself is the run; two runs give the mean of their scores.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, sharedData, tempDir, type CliResult } from './cli-process.js';

const root = tempDir('ensemble');
const SMALL = ['--per-category', '10', '--epochs', '1', '--batch', '8', '--size', '84', '--width', '0.25', '--no-progress'];
const floatRun = join(root, 'float');
const bwnRun = join(root, 'bwn');
const bwnBundle = join(root, 'bwn.bundle');
const sketches = join(sharedData, 'tu-berlin-svg-sample', 'svg', 'airplane', '1.svg');

function expectOk(result: CliResult): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
}

async function evalJson(...runs: string[]): Promise<Record<string, any>> {
  const result = await runCli(['eval', ...runs.flatMap((run) => ['--run', run]), '--json']);
  expectOk(result);
  return JSON.parse(result.stdout);
}

/** predict --json's scores of every class, by label, per sketch. */
async function predictScores(...runs: string[]): Promise<Array<Record<string, number>>> {
  const result = await runCli(['predict', ...runs.flatMap((run) => ['--run', run]), '--top', '100', '--json', sketches, join(sharedData, 'quickdraw-345', 'cat.ndjson')]);
  expectOk(result);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries((JSON.parse(line).top as Array<{ label: string; score: number }>).map((t) => [t.label, t.score])));
}

const METRICS = ['samples', 'top1', 'top5', 'top1TenView', 'top5TenView', 'top1Vote', 'top5Vote', 'views'] as const;
const metricsOf = (report: Record<string, any>) => Object.fromEntries(METRICS.map((key) => [key, report[key]]));

beforeAll(async () => {
  expectOk(await runCli(['train', ...SMALL, '--seed', '3', '--out', floatRun]));
  expectOk(await runCli(['train', '--model', 'sketch-a-net-bwn', ...SMALL, '--seed', '4', '--out', bwnRun]));
  expectOk(await runCli(['export', '--run', bwnRun, '--out', bwnBundle]));
});

describe('eval and predict with several --run', () => {
  it('an ensemble of a run with itself scores as the run', async () => {
    const single = await evalJson(floatRun);
    const twice = await evalJson(floatRun, floatRun);
    expect(metricsOf(twice)).toEqual(metricsOf(single));
    expect(twice.loss).toBeCloseTo(single.loss, 5);
    expect(twice.ensemble).toBe('mean of the softmax probabilities');
    expect(twice.members.map((m: Record<string, any>) => [m.run, metricsOf(m)])).toEqual([
      [floatRun, metricsOf(single)],
      [floatRun, metricsOf(single)],
    ]);
    const [alone, doubled] = [await predictScores(floatRun), await predictScores(floatRun, floatRun)];
    expect(doubled.length).toBe(alone.length);
    doubled.forEach((scores, i) => Object.entries(scores).forEach(([label, score]) => expect(score).toBeCloseTo(alone[i]![label]!, 6)));
  });

  it('a run and a bundle of another run give the mean of their probabilities', async () => {
    const [a, b, both] = [await predictScores(floatRun), await predictScores(bwnBundle), await predictScores(floatRun, bwnBundle)];
    expect(both.length).toBe(a.length);
    let differ = 0;
    both.forEach((scores, i) => {
      expect(Object.keys(scores).sort()).toEqual(Object.keys(a[i]!).sort());
      for (const [label, score] of Object.entries(scores)) {
        expect(score).toBeCloseTo((a[i]![label]! + b[i]![label]!) / 2, 6);
        differ = Math.max(differ, Math.abs(a[i]![label]! - b[i]![label]!));
      }
    });
    expect(differ, 'the two members disagree somewhere').toBeGreaterThan(1e-3);
  });

  it('eval --json reports the ensemble and each member on the first run folder\'s split (a bundle may come first)', async () => {
    const [a, b] = [await evalJson(floatRun), await evalJson(bwnRun)];
    const both = await evalJson(bwnBundle, floatRun);
    expect(both).toMatchObject({ runs: [bwnBundle, floatRun], splitOf: floatRun, samples: a.samples });
    expect(both.members.map((m: Record<string, any>) => m.run)).toEqual([bwnBundle, floatRun]);
    expect(metricsOf(both.members[0])).toEqual(metricsOf(b)); // the bundle scores as its run
    expect(metricsOf(both.members[1])).toEqual(metricsOf(a));
    const text = await runCli(['eval', '--run', floatRun, '--run', bwnRun]);
    expectOk(text);
    expect(text.stdout).toMatch(/^ensemble of 2 \(mean of the softmax probabilities\) on .*float's split: sketch-a-net on \d+ held-out synthetic sketches, 10 categories\ntop-1: /);
    expect(text.stdout).toContain(`${bwnRun}:\ntop-1: `);
  });

  it('members with other classes or another input preprocessing are refused, naming both', async () => {
    const reordered = join(root, 'reordered');
    cpSync(floatRun, reordered, { recursive: true });
    const config = JSON.parse(readFileSync(join(reordered, 'config.json'), 'utf8'));
    config.dataset.categories = [...config.dataset.categories].reverse();
    writeFileSync(join(reordered, 'config.json'), JSON.stringify(config));
    let result = await runCli(['predict', '--run', floatRun, '--run', reordered, sketches]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--run ${reordered} cannot join an ensemble with --run ${floatRun}: the classes (in label order) differ`);
    const resized = join(root, 'resized');
    cpSync(floatRun, resized, { recursive: true });
    config.dataset.categories.reverse();
    config.sample.renderSize += 4;
    writeFileSync(join(resized, 'config.json'), JSON.stringify(config));
    result = await runCli(['eval', '--run', floatRun, '--run', resized]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--run .*resized cannot join an ensemble with --run .*float: the input preprocessing \(renderSize, cropSize, channels\) differ/);
    result = await runCli(['eval', '--run', bwnBundle, '--run', bwnBundle]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bundles record no test split');
    result = await runCli(['eval', '--run', floatRun, '--run', bwnRun, '--latency']);
    expect(result.code).toBe(2);
  });
});
