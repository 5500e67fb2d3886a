// The command line itself: help for every subcommand, and clear non-zero exits for bad flags, unknown names,
// unavailable backends and missing run folders. No training here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-process.js';

describe('sketch-xnor --help', () => {
  it('lists the subcommands', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['train', 'eval', 'predict', 'download']) expect(stdout).toContain(command);
  });

  it.each([
    ['train', ['--model', '--dataset', '--data', '--categories', '--epochs', '--batch', '--size', '--width', '--lr', '--backend', '--seed', '--out', '--resume', '--init', '--workers']],
    ['eval', ['--run', '--backend']],
    ['predict', ['--run', '--top', '<files...>']],
    ['download', ['--categories', '--out', 'quickdraw | tu-berlin']],
  ])('%s --help lists its flags', async (command, flags) => {
    const { code, stdout } = await runCli([command, '--help']);
    expect(code).toBe(0);
    for (const flag of flags) expect(stdout).toContain(flag);
  });

  it('train --help lists the registered models and datasets', async () => {
    const { stdout } = await runCli(['train', '--help']);
    expect(stdout).toMatch(/Models: .*sketch-a-net-xnor/);
    expect(stdout).toMatch(/Datasets: .*quickdraw.*synthetic/);
  });
});

describe('errors exit non-zero with a clear message', () => {
  it('an unknown flag is a usage error (exit 2)', async () => {
    const { code, stderr } = await runCli(['train', '--epoch', '3']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--epoch'/);
    expect(stderr).toMatch(/--epochs/); // commander suggests the near miss
  });

  it.each([
    [['train', '--epochs', 'three'], /--epochs <n>.*Not an integer/],
    [['train', '--epochs', '0'], /--epochs <n>.*at least 1/],
    [['train', '--lr', '-1'], /--lr <rate>.*above 0/],
    [['train', '--categories', 'cat,,cat'], /"cat" is listed twice/],
    [['predict', '--run', 'x'], /missing required argument 'files'/],
    [['download', 'imagenet'], /Allowed choices are quickdraw, tu-berlin/],
    [['train', '--split', 'train:54,validation:10'], /--split <parts>.*parts train and test/],
    [['train', '--split', 'train:many,test:26'], /--split <parts>.*"train" has size NaN/],
    [['train', '--input-scale', 'k'], /--input-scale <kind>.*Expected one of: xnor/],
    [['train', '--split', 'train:54,test:26', '--test-fraction', '0.2'], /--split and --test-fraction both define the test set/],
    [['train', '--size', '112', '--render-size', '100'], /--render-size 100 is smaller than the crop --size 112/],
  ])('%j', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('an unknown model lists the known ones', async () => {
    const out = join(tempDir('usage'), 'run');
    const { code, stderr } = await runCli(['train', '--model', 'resnet', '--out', out, '--backend', 'cpu']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown model "resnet"; known models: .*sketch-a-net, sketch-a-net-bwn, sketch-a-net-xnor/);
  });

  it('an unknown dataset lists the known ones', async () => {
    const out = join(tempDir('usage'), 'run');
    const { code, stderr } = await runCli(['train', '--dataset', 'mnist', '--data', '.', '--out', out, '--backend', 'cpu']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown dataset "mnist"; known datasets: .*quickdraw.*synthetic.*tu-berlin-png.*tu-berlin-svg/);
  });

  it('a dataset other than synthetic needs --data', async () => {
    const { code, stderr } = await runCli(['train', '--dataset', 'quickdraw']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--dataset quickdraw needs --data <path>/);
  });

  it('--backend tensorflow-gpu names the package to install', async () => {
    const out = join(tempDir('usage'), 'run');
    const { code, stderr } = await runCli(['train', '--backend', 'tensorflow-gpu', '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain('@tensorflow/tfjs-node-gpu');
  });

  it('eval of a missing run folder says so', async () => {
    const missing = join(tempDir('usage'), 'nope');
    const { code, stderr } = await runCli(['eval', '--run', missing]);
    expect(code).toBe(1);
    expect(stderr).toContain(`run folder ${missing} does not exist`);
  });

  it('eval of a folder without config.json names the file', async () => {
    const dir = tempDir('usage');
    const { code, stderr } = await runCli(['eval', '--run', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`run folder ${dir} has no config.json`);
  });

  it('eval of a run with a cut-off config.json names the file', async () => {
    const dir = tempDir('usage');
    writeFileSync(join(dir, 'config.json'), '{"format": "sketch-xnor-run", "version": 1, "mod');
    const { code, stderr } = await runCli(['eval', '--run', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dir, 'config.json')} is not valid JSON`);
  });

  it('--resume without a checkpoint says what is missing', async () => {
    const dir = tempDir('usage');
    const { code, stderr } = await runCli(['train', '--out', dir, '--resume']);
    expect(code).toBe(1);
    expect(stderr).toContain(`run folder ${dir} has no config.json`);
  });

  it('training into a folder that already holds a run is refused', async () => {
    const dir = tempDir('usage');
    writeFileSync(join(dir, 'config.json'), '{}');
    const { code, stderr } = await runCli(['train', '--out', dir, '--backend', 'cpu']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${dir} already holds a run; add --resume to continue it`);
  });
});
