// Exact resume of binary nets: a BWN and an XNOR run stopped mid-epoch and resumed end with the same bytes as an
// uninterrupted run: latent weights clipped after every step, BatchNorm moving statistics, Adam's moments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliResult } from './cli-process.js';

const root = tempDir('resume-binary');
// 10 synthetic classes x 8 training sketches: 10 steps of 8 per epoch; the stop at step 5 falls mid-epoch
const train = (model: string, out: string, ...more: string[]) => [
  'train', '--model', model, '--per-category', '10', '--epochs', '2', '--batch', '8', '--size', '84', '--width', '0.25',
  '--seed', '4', '--no-progress', '--out', out, ...more,
];

function expectOk(result: CliResult): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
}

describe.each(['sketch-a-net-bwn', 'sketch-a-net-xnor'])('%s', (model) => {
  it('stopped mid-epoch and resumed, ends byte-identical to the uninterrupted run', async () => {
    const full = join(root, `${model}-full`);
    const half = join(root, `${model}-half`);
    expectOk(await runCli(train(model, full)));
    expectOk(await runCli(train(model, half, '--max-steps', '5')));
    const stopped = readFileSync(join(half, 'weights.bin'));
    // --max-steps is recorded with the run; 20 = the 2 epochs of the uninterrupted run
    const resumed = await runCli(['train', '--out', half, '--resume', '--max-steps', '20', '--no-progress']);
    expectOk(resumed);
    expect(resumed.stderr).toMatch(/resuming from .* at step 5\b/);
    const fullWeights = readFileSync(join(full, 'weights.bin'));
    expect(stopped.equals(fullWeights), 'the stopped run is not already the full one').toBe(false);
    expect(readFileSync(join(half, 'weights.bin')).equals(fullWeights)).toBe(true);
  });
});
