// A careless or hostile user at the command line: export over a run folder, a split that leaves nothing to train,
// a thousand workers, the run folder becoming unwritable mid-training, data files edited after training, and a
// metrics log torn by a crash. All through the built CLI.
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, sharedData, startCli, tempDir, type CliResult } from './cli-process.js';

const root = tempDir('hostile');
const TINY = ['--per-category', '5', '--batch', '8', '--size', '45', '--width', '0.125', '--no-progress'];
const run = join(root, 'bwn');

function expectOk(result: CliResult): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
}

const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));

beforeAll(async () => {
  expectOk(await runCli(['train', '--model', 'sketch-a-net-bwn', ...TINY, '--max-steps', '2', '--out', run]));
});

describe('export --out refuses to overwrite anything but an earlier bundle', () => {
  it('refuses the run folder itself and leaves its model untouched', async () => {
    const before = filesOf(run);
    const result = await runCli(['export', '--run', run, '--out', run]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`export --out ${run}: it is the run folder (its model.json and weights.bin would be overwritten)`);
    expect(filesOf(run)).toEqual(before);
  });

  it('refuses a folder inside the run, and another run folder', async () => {
    const inside = await runCli(['export', '--run', run, '--out', join(run, 'bundle')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toContain(`export --out ${join(run, 'bundle')}: it is inside the run folder ${run}`);
    expect(existsSync(join(run, 'bundle'))).toBe(false);

    const other = join(root, 'other-run');
    cpSync(run, other, { recursive: true });
    const before = filesOf(other);
    const result = await runCli(['export', '--run', run, '--out', other]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`export --out ${other}: the folder holds files and is not a bundle \\(no manifest\\.json\\): .*config\\.json`));
    expect(filesOf(other)).toEqual(before);
  });

  it('writes a new folder, replaces an earlier bundle, and refuses a bundle folder holding other files', async () => {
    const bundle = join(root, 'bundle');
    expectOk(await runCli(['export', '--run', run, '--out', bundle]));
    expectOk(await runCli(['export', '--run', run, '--out', bundle])); // an earlier bundle is replaced
    writeFileSync(join(bundle, 'notes.txt'), 'mine');
    const result = await runCli(['export', '--run', run, '--out', bundle]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`export --out ${bundle}: the folder holds files that are not part of the bundle there: notes.txt`);
    expect(readFileSync(join(bundle, 'notes.txt'), 'utf8')).toBe('mine');

    const foreign = join(root, 'foreign-manifest');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'manifest.json'), '{"format":"tfjs-graph"}');
    const refused = await runCli(['export', '--run', run, '--out', foreign]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`export --out ${foreign}: the folder is not an earlier bundle (its manifest.json is not a "sketch-xnor-bundle" manifest)`);
  });
});

describe('train checks everything before writing the run folder', () => {
  it.each([
    [['--split', 'train:0,test:0'], /--split train:0,test:0 leaves the train split of synthetic empty/],
    [['--split', 'train:5,test:0'], /--split train:5,test:0 leaves the test split of synthetic empty/],
  ])('%j is refused and leaves the folder empty, so the same --out trains afterwards', async (flags, message) => {
    const out = join(root, `split-${flags[1]!.replace(/[^0-9a-z]/g, '-')}`);
    const refused = await runCli(['train', ...TINY, '--max-steps', '1', ...flags, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(message);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expectOk(await runCli(['train', ...TINY, '--max-steps', '1', '--out', out]));
  });

  it('--workers above the core count is capped at it, saying so', async () => {
    const out = join(root, 'workers');
    const cores = availableParallelism();
    const result = await runCli(['train', ...TINY, '--max-steps', '1', '--workers', '1000', '--out', out]);
    expectOk(result);
    expect(result.stderr).toContain(`--workers 1000 is more than the ${cores} cores this machine has; using ${cores} workers`);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).workers).toBe(cores);
  });
});

/** Starts training; after its first checkpoint, replaces metrics.jsonl with a folder (appends then fail, for root too). */
async function breakMetricsAfterCheckpoint(args: string[], runDir: string): Promise<CliResult> {
  const metrics = join(runDir, 'metrics.jsonl');
  const saved = `${metrics}.saved`;
  const { result } = startCli(args);
  const timer = setInterval(() => {
    if (!existsSync(metrics) || !readFileSync(metrics, 'utf8').includes('"type":"checkpoint"')) return;
    clearInterval(timer);
    renameSync(metrics, saved);
    for (;;) {
      try {
        mkdirSync(metrics);
        return;
      } catch {
        appendFileSync(saved, readFileSync(metrics)); // a line written between the two calls: keep it
        rmSync(metrics);
      }
    }
  }, 20);
  try {
    return await result;
  } finally {
    clearInterval(timer);
  }
}

describe('a run folder that stops being writable mid-training', () => {
  // 10 classes x 40 sketches: 32 train each, 40 steps of 8 per epoch, a checkpoint every 2 steps.
  const LONG = ['train', '--model', 'sketch-a-net-bwn', '--per-category', '40', '--epochs', '2', '--batch', '8', '--size', '45', '--width', '0.125', '--seed', '5', '--no-progress'];

  it('stops cleanly with an intact checkpoint and says how to resume; the resumed run matches an uninterrupted one', async () => {
    const whole = join(root, 'whole');
    const broken = join(root, 'unwritable');
    expectOk(await runCli([...LONG, '--out', whole]));
    const result = await breakMetricsAfterCheckpoint([...LONG, '--checkpoint-every', '2', '--out', broken], broken);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).toMatch(new RegExp(`cannot write to the run folder ${broken}: EISDIR.*metrics\\.jsonl.*; training stopped at step \\d+ and the checkpoint ${join(broken, 'checkpoint.ckpt')} \\(step \\d+\\) is intact`));
    expect(result.stderr).toContain(`continue with: sketch-xnor train --out ${broken} --resume`);
    expect(existsSync(join(broken, 'model.json'))).toBe(false);

    rmSync(join(broken, 'metrics.jsonl'), { recursive: true });
    renameSync(join(broken, 'metrics.jsonl.saved'), join(broken, 'metrics.jsonl'));
    expectOk(await runCli(['train', '--out', broken, '--resume', '--no-progress']));
    expect(readFileSync(join(broken, 'weights.bin')).equals(readFileSync(join(whole, 'weights.bin')))).toBe(true);
  });
});

describe('eval warns when the data changed after training', () => {
  it('records split fingerprints and warns on stderr when the test split holds other sketches', async () => {
    const data = join(root, 'quickdraw');
    mkdirSync(data);
    for (const category of ['cat', 'apple']) cpSync(join(sharedData, 'quickdraw-345', `${category}.ndjson`), join(data, `${category}.ndjson`));
    const trained = join(root, 'qd');
    expectOk(await runCli(['train', '--dataset', 'quickdraw', '--data', data, '--categories', 'cat,apple', ...TINY, '--max-steps', '1', '--out', trained]));
    const config = JSON.parse(readFileSync(join(trained, 'config.json'), 'utf8'));
    expect(config.dataset.fingerprints).toEqual({ train: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), test: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });

    const clean = await runCli(['eval', '--run', trained]);
    expectOk(clean);
    expect(clean.stderr).not.toContain('warning');

    // lines moved from the end of the file to its start: the first 5 (the per-category cut) are now other sketches
    const file = join(data, 'cat.ndjson');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${[...lines.slice(-3), ...lines.slice(0, -3)].join('\n')}\n`);
    const edited = await runCli(['eval', '--run', trained]);
    expectOk(edited);
    expect(edited.stderr).toContain(`warning: the test split of ${data} no longer holds the sketches ${trained} was trained with`);

    // a run from before fingerprints were recorded: no warning
    delete config.dataset.fingerprints;
    writeFileSync(join(trained, 'config.json'), JSON.stringify(config));
    const old = await runCli(['eval', '--run', trained]);
    expectOk(old);
    expect(old.stderr).not.toContain('warning');
  });
});

describe('viz reads a metrics log torn by a crash', () => {
  it('skips the torn last line with a note and writes the report', async () => {
    const torn = join(root, 'torn');
    cpSync(run, torn, { recursive: true });
    appendFileSync(join(torn, 'metrics.jsonl'), '{"type":"step","step":3,"ep');
    const result = await runCli(['viz', '--run', torn, '--sketch', join(sharedData, 'quickdraw-345', 'cat.ndjson'), '--steps', '0', '--no-eval', '--no-progress']);
    expectOk(result);
    expect(result.stderr).toMatch(/metrics\.jsonl:\d+: skipped a line torn by a crash \(the last line, unfinished\)/);
    expect(existsSync(join(torn, 'report.html'))).toBe(true);
  });
});
