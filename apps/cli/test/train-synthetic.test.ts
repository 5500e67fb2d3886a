// A short training run on the embedded synthetic sketches, then eval and predict on it, the run-folder checks,
// an exact resume after `kill -9`, and Ctrl-C keeping a usable checkpoint. All through the built CLI.
import { cpSync, existsSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, sharedData, startCli, tempDir, type CliResult } from './cli-process.js';

const root = tempDir('synthetic');
// 10 synthetic classes x 20 sketches: 16 train + 4 test each, 10 steps of 16 per epoch.
const TRAIN = ['train', '--per-category', '20', '--epochs', '2', '--batch', '16', '--size', '84', '--width', '0.25', '--seed', '3', '--no-progress'];
const complete = join(root, 'complete');

function events(runDir: string): Array<Record<string, unknown>> {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

function expectOk(result: CliResult): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
}

/** Waits until a `checkpoint` event is in the run's metrics.jsonl, then signals the process. */
async function signalAfterCheckpoint(args: string[], runDir: string, signal: NodeJS.Signals): Promise<CliResult> {
  const { child, result } = startCli(args);
  const timer = setInterval(() => {
    const file = join(runDir, 'metrics.jsonl');
    if (existsSync(file) && readFileSync(file, 'utf8').includes('"type":"checkpoint"')) {
      clearInterval(timer);
      child.kill(signal);
    }
  }, 50);
  try {
    return await result;
  } finally {
    clearInterval(timer);
  }
}

describe('train on synthetic sketches, then eval and predict', () => {
  let trained: CliResult;
  beforeAll(async () => {
    trained = await runCli([...TRAIN, '--out', complete]);
  });

  it('writes a complete run folder', () => {
    expectOk(trained);
    for (const file of ['config.json', 'metrics.jsonl', 'checkpoint.ckpt', 'model.json', 'weights.bin']) {
      expect(existsSync(join(complete, file)), file).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(complete, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      format: 'sketch-xnor-run',
      model: { name: 'sketch-a-net', options: { inputSize: 84, width: 0.25, channels: 1 } },
      dataset: { kind: 'synthetic', perCategory: 20, testFraction: 0.2 },
      training: { epochs: 2, batchSize: 16, seed: 3 },
      backend: 'wasm',
    });
    expect(config.model.options.classes).toBe(config.dataset.categories.length);
    const types = events(complete).map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('done');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(2);
    expect(types.filter((t) => t === 'eval')).toHaveLength(2);
    expect(trained.stdout).toMatch(/test top-1 \d+\.\d% top-5 \d+\.\d% \| 10-view top-1/);
  });

  it('eval prints the same metrics as the last evaluation of training', async () => {
    const result = await runCli(['eval', '--run', complete]);
    expectOk(result);
    const last = events(complete).filter((e) => e.type === 'eval').at(-1)!;
    const pct = (x: unknown) => `${(100 * (x as number)).toFixed(1)}%`;
    expect(result.stdout).toContain(`top-1: ${pct(last.top1)} (center), ${pct(last.top1TenView)} (10-view)`);
    expect(result.stdout).toContain(`top-5: ${pct(last.top5)} (center), ${pct(last.top5TenView)} (10-view)`);
    const json = await runCli(['eval', '--run', complete, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ samples: last.samples, top1: last.top1, top5: last.top5 });
  });

  it('predict prints top-k labels with scores for ndjson, svg and png sketches', async () => {
    const config = JSON.parse(readFileSync(join(complete, 'config.json'), 'utf8'));
    const files = [
      join(sharedData, 'quickdraw-345', 'cat.ndjson'),
      join(sharedData, 'tu-berlin-svg-sample', 'svg', 'airplane', '1.svg'),
      join(sharedData, 'tu-berlin-png-40', 'cloud', '4387.png'),
    ];
    const result = await runCli(['predict', '--run', complete, '--top', '3', '--json', ...files]);
    expectOk(result);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const catLines = readFileSync(files[0]!, 'utf8').trim().split('\n').length;
    expect(lines).toHaveLength(catLines + 2);
    for (const p of lines) {
      expect(p.top).toHaveLength(3);
      for (const t of p.top) expect(config.dataset.categories).toContain(t.label);
      expect(p.top[0].score).toBeGreaterThanOrEqual(p.top[1].score);
      expect(p.top[1].score).toBeGreaterThanOrEqual(p.top[2].score);
      expect(p.top[0].score + p.top[1].score + p.top[2].score).toBeLessThanOrEqual(1 + 1e-5);
    }
    expect(lines.at(-2).file).toBe(files[1]);
    expect(lines.at(-1).file).toBe(files[2]);
    const text = await runCli(['predict', '--run', complete, '--views', 'center', files[1]!]);
    expectOk(text);
    expect(text.stdout).toMatch(/1\.svg.*: \S.* \d+\.\d%, .* \d+\.\d%/);
  });

  it('a truncated or missing file of the run folder is named', async () => {
    const broken = join(root, 'broken');
    cpSync(complete, broken, { recursive: true });
    const weights = join(broken, 'weights.bin');
    truncateSync(weights, statSync(weights).size - 100);
    let result = await runCli(['eval', '--run', broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/weights\.bin: \d+ bytes, but model\.json lists \d+ bytes of weights \(truncated\?\)/);
    rmSync(join(broken, 'model.json'));
    result = await runCli(['predict', '--run', broken, join(sharedData, 'quickdraw-345', 'cat.ndjson')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(broken, 'model.json')} is missing`);
  });

  it('resume after kill -9 ends with the same weights as the uninterrupted run', async () => {
    const killed = join(root, 'killed');
    const first = await signalAfterCheckpoint([...TRAIN, '--checkpoint-every', '2', '--out', killed], killed, 'SIGKILL');
    expect(first.signal).toBe('SIGKILL');
    expect(existsSync(join(killed, 'model.json'))).toBe(false);
    const resumed = await runCli(['train', '--out', killed, '--resume', '--no-progress']);
    expectOk(resumed);
    const from = /resuming from .* at step (\d+)/.exec(resumed.stderr);
    expect(from, resumed.stderr).not.toBeNull();
    expect(Number(from![1])).toBeGreaterThan(0);
    expect(Number(from![1])).toBeLessThan(20);
    expect(readFileSync(join(killed, 'weights.bin')).equals(readFileSync(join(complete, 'weights.bin')))).toBe(true);
  });

  it('Ctrl-C stops with exit code 130 and an intact checkpoint that resumes', async () => {
    const interrupted = join(root, 'interrupted');
    // The first checkpoint at step 2 leaves 18 steps for the signal to land in.
    const first = await signalAfterCheckpoint([...TRAIN, '--checkpoint-every', '2', '--out', interrupted], interrupted, 'SIGINT');
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/interrupted at step \d+; the checkpoint .*checkpoint\.ckpt is intact/);
    const resumed = await runCli(['train', '--out', interrupted, '--resume', '--no-progress']);
    expectOk(resumed);
    expect(readFileSync(join(interrupted, 'weights.bin')).equals(readFileSync(join(complete, 'weights.bin')))).toBe(true);
  });

  it('--resume --epochs continues a finished run and records the new length in config.json', async () => {
    const longer = join(root, 'longer');
    cpSync(complete, longer, { recursive: true });
    const result = await runCli(['train', '--out', longer, '--resume', '--epochs', '3', '--no-progress']);
    expectOk(result);
    const config = JSON.parse(readFileSync(join(longer, 'config.json'), 'utf8'));
    expect(config.training.epochs).toBe(3);
    expect(config.resumes).toEqual([['train', '--out', longer, '--resume', '--epochs', '3', '--no-progress']]);
    const epochs = readFileSync(join(longer, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
  });

  it('--resume refuses a flag that would change the recorded run', async () => {
    const copy = join(root, 'copy');
    cpSync(complete, copy, { recursive: true });
    const result = await runCli(['train', '--out', copy, '--resume', '--lr', '0.5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--lr 0\.5 differs from the resumed run's recorded \d/);
  });
});
