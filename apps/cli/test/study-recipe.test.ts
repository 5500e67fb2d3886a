// The study's recipe from the command line (#16): its learning-rate schedule (--schedule study, --lr-initial-step),
// its weight gradient (--kernel-gradient), and initialization from a MatConvNet Sketch-A-Net (--init net.mat).
// All through the built CLI, on tiny synthetic runs.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKETCH_A_NET_LAYERS, sketchANetGeometry } from '@sketch-xnor/models';
import { fixtureRandom as random, matFile, toColumnMajor, type MatInput } from '../../../packages/models/test/mat-writer.js';
import { runCli, tempDir, type CliResult } from './cli-process.js';

const root = tempDir('study');
// 10 synthetic classes x 8 training sketches: 10 steps of 8 per epoch
const SMALL = ['--per-category', '10', '--epochs', '1', '--batch', '8', '--size', '84', '--width', '0.25', '--no-progress'];

function expectOk(result: CliResult): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** The learning rate of each `step` event of a run, by the number of steps done when it was logged. */
function loggedRates(runDir: string): Array<{ step: number; lr: number }> {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((e) => e.type === 'step')
    .map((e) => ({ step: e.step, lr: e.lr }));
}

/** The step event after update n (1-based) trained with the rate of global step initialStep + n - 1. */
function expectSchedule(runDir: string, { lr0, rate, decaySteps, initialStep }: { lr0: number; rate: number; decaySteps: number; initialStep: number }, steps: number): void {
  const logged = loggedRates(runDir);
  expect(logged.map((e) => e.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  for (const { step, lr } of logged) expect(lr, `step ${step}`).toBeCloseTo(lr0 * rate ** ((initialStep + step - 1) / decaySteps), 12);
}

describe('--schedule study, --lr-initial-step and --kernel-gradient', () => {
  const study = join(root, 'study');

  it('--schedule study trains with lr 0.01 x0.96 per 1000 steps from step 10000; --kernel-gradient xnor-net reaches model.json', async () => {
    expectOk(await runCli(['train', '--model', 'sketch-a-net-bwn', '--kernel-gradient', 'xnor-net', '--schedule', 'study', '--max-steps', '3', ...SMALL, '--out', study]));
    const config = readJson(join(study, 'config.json'));
    expect(config.training.learningRate).toEqual({ initialLearningRate: 0.01, decayRate: 0.96, decaySteps: 1000, initialStep: 10000 });
    expect(config.training.schedule).toBe('study');
    expect(config.model.options.kernelQuantizer).toEqual({ name: 'magnitude-aware-sign', gradient: 'xnor-net' });
    expectSchedule(study, { lr0: 0.01, rate: 0.96, decaySteps: 1000, initialStep: 10000 }, 3);
    const layers = readJson(join(study, 'model.json')).modelTopology.config.layers as Array<{ name: string; config: Record<string, any> }>;
    const quantizers = Object.fromEntries(layers.filter((l) => l.config['kernel_quantizer'] ?? l.config['kernelQuantizer']).map((l) => [l.name, l.config['kernel_quantizer'] ?? l.config['kernelQuantizer']]));
    expect(Object.keys(quantizers)).toEqual(['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']);
    for (const quantizer of Object.values(quantizers)) expect(quantizer).toMatchObject({ name: 'magnitude-aware-sign', gradient: 'xnor-net' });
  });

  it('explicit --lr, --lr-decay-steps and --lr-initial-step override the preset, and --resume keeps them', async () => {
    const custom = join(root, 'custom');
    const schedule = { lr0: 0.02, rate: 0.96, decaySteps: 2, initialStep: 3 };
    expectOk(await runCli(['train', '--schedule', 'study', '--lr', '0.02', '--lr-decay-steps', '2', '--lr-initial-step', '3', '--max-steps', '3', ...SMALL, '--out', custom]));
    expect(readJson(join(custom, 'config.json')).training).toMatchObject({ schedule: 'study', learningRate: { initialLearningRate: 0.02, decayRate: 0.96, decaySteps: 2, initialStep: 3 } });
    expectSchedule(custom, schedule, 3);
    const resumed = await runCli(['train', '--out', custom, '--resume', '--max-steps', '5', '--no-progress']);
    expectOk(resumed);
    expectSchedule(custom, schedule, 5);
  });

  it('--resume refuses another --lr-initial-step or --kernel-gradient than the recorded ones', async () => {
    for (const [flag, value, recorded] of [
      ['--lr-initial-step', '5', '10000'],
      ['--kernel-gradient', 'ste', '"xnor-net"'],
    ] as const) {
      const result = await runCli(['train', '--out', study, '--resume', flag, value]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`${flag} ${JSON.stringify(Number(value) || value)} differs from the resumed run's recorded ${recorded}`);
    }
    const custom = join(root, 'custom');
    const result = await runCli(['train', '--out', custom, '--resume', '--lr-initial-step', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--lr-initial-step 0 differs from the resumed run\'s recorded 3');
  });

  it('refuses --kernel-gradient for a float model and an unknown rule or --schedule, before writing anything', async () => {
    for (const [args, message] of [
      [['--kernel-gradient', 'xnor-net'], /--kernel-gradient xnor-net sets the weight gradient of magnitude-aware-sign kernels, and sketch-a-net has float kernels/],
      [['--model', 'sketch-a-net-bwn', '--kernel-gradient', 'half'], /unknown --kernel-gradient "half"; magnitude-aware-sign has ste, xnor-net, full/],
      [['--schedule', 'paper'], /unknown --schedule "paper"; known schedules: study/],
    ] as const) {
      const out = join(root, `refused-${args.at(-1)}`);
      const result = await runCli(['train', ...args, ...SMALL, '--out', out]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(existsSync(out) && readdirSync(out).length > 0).toBe(false);
    }
  });

  it('--help names the study preset and says its decay rate is assumed', async () => {
    const { stdout } = await runCli(['train', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain('study: Adam lr 0.01, x0.96 per 1000 steps from global step 10000 (the study does not state its decay rate; 0.96 is this project\'s assumption)');
    for (const rule of ['ste', 'xnor-net', 'full']) expect(stdout).toContain(rule);
  });
});


/** A MatConvNet SimpleNN Sketch-A-Net at width 0.25 for 84 px inputs and 10 classes (its weights, TF.js layout). */
function sketchANetMat(classes?: string[]): { bytes: Uint8Array; weights: Record<string, { kernel: Float32Array; bias: Float32Array }> } {
  const fc6 = sketchANetGeometry(84).pool5;
  const shapes: Array<[number, number, number, number]> = [
    [15, 15, 1, 16], [5, 5, 16, 32], [3, 3, 32, 64], [3, 3, 64, 64], [3, 3, 64, 64], [fc6, fc6, 64, 128], [1, 1, 128, 128], [1, 1, 128, 10],
  ];
  const pads = [0, 0, 1, 1, 1, 0, 0, 0];
  const next = random(11);
  const weights: Record<string, { kernel: Float32Array; bias: Float32Array }> = {};
  const numbers = (values: number[]): MatInput => ({ numeric: values, dims: [1, values.length] });
  const pool = (name: string): MatInput => ({ struct: { name, type: 'pool', method: 'max', pool: numbers([3, 3]), stride: numbers([2, 2]), pad: numbers([0, 0, 0, 0]) } });
  const layers: MatInput[] = [];
  shapes.forEach((shape, i) => {
    const name = SKETCH_A_NET_LAYERS[i]!;
    const kernel = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 0.2);
    const bias = Float32Array.from({ length: shape[3] }, () => next() * 0.1);
    weights[name] = { kernel, bias };
    const filters: MatInput = { numeric: toColumnMajor(kernel, shape), dims: shape, storage: 'single' };
    const biases: MatInput = { numeric: bias, dims: [1, shape[3]], storage: 'single' };
    const stride = i === 0 ? 3 : 1;
    layers.push({ struct: { name, type: 'conv', weights: { cell: [filters, biases] }, stride: numbers([stride, stride]), pad: numbers(Array(4).fill(pads[i]!)) } });
    if (i < 7) layers.push({ struct: { name: `relu${i + 1}`, type: 'relu' } });
    if (i === 0 || i === 1 || i === 4) layers.push(pool(`pool${i + 1}`));
    if (i === 5 || i === 6) layers.push({ struct: { name: `dropout${i + 1}`, type: 'dropout', rate: numbers([0.5]) } });
  });
  layers.push({ struct: { name: 'loss', type: 'softmaxloss' } });
  const meta: Record<string, MatInput> = classes ? { meta: { struct: { classes: { struct: { name: { cell: classes } } } } } } : {};
  return { bytes: matFile({ net: { struct: { layers: { cell: layers }, ...meta } } }, { compress: true }), weights };
}

/** A layer's weight of a saved run, from model.json's manifest and weights.bin (all float32, in manifest order). */
function savedWeight(runDir: string, name: string): Float32Array {
  const manifest = readJson(join(runDir, 'model.json')).weightsManifest as Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
  const bytes = readFileSync(join(runDir, 'weights.bin'));
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  for (const entry of manifest.flatMap((group) => group.weights)) {
    expect(entry.dtype).toBe('float32');
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.name === name) return all.slice(offset, offset + size);
    offset += size;
  }
  throw new Error(`${name} is not in ${runDir}/model.json`);
}

describe('train --init <file.mat>', () => {
  it('a MatConvNet Sketch-A-Net initializes every layer, reported as for a run folder', async () => {
    const { bytes, weights } = sketchANetMat();
    const file = join(root, 'sketch-a-net.mat');
    writeFileSync(file, bytes);
    const out = join(root, 'from-mat');
    // one step of a vanishing learning rate: the saved weights are the file's
    const result = await runCli(['train', '--init', file, '--lr', '1e-12', '--max-steps', '1', ...SMALL, '--out', out]);
    expectOk(result);
    expect(result.stderr).toContain(`initialized 8 layers from ${file}\n`);
    expect(readJson(join(out, 'config.json')).init).toBe(file);
    for (const layer of ['conv1', 'fc6', 'fc8']) {
      const kernel = savedWeight(out, `${layer}/kernel`);
      const bias = savedWeight(out, `${layer}/bias`);
      expect(kernel.length).toBe(weights[layer]!.kernel.length);
      kernel.forEach((v, i) => expect(Math.abs(v - weights[layer]!.kernel[i]!)).toBeLessThan(1e-6));
      bias.forEach((v, i) => expect(Math.abs(v - weights[layer]!.bias[i]!)).toBeLessThan(1e-6));
    }
  });

  it("a .mat whose class names are not the run's is used, with a note that its fc8 stands for other labels", async () => {
    const file = join(root, 'other-classes.mat');
    writeFileSync(file, sketchANetMat(Array.from({ length: 10 }, (_, i) => `tu-berlin-${i}`)).bytes);
    const result = await runCli(['train', '--init', file, '--max-steps', '1', ...SMALL, '--out', join(root, 'from-other-classes')]);
    expectOk(result);
    expect(result.stderr).toContain(`initialized 8 layers from ${file}\n`);
    expect(result.stderr).toMatch(/note: .*other-classes\.mat's 10 classes \(tu-berlin-0, tu-berlin-1, tu-berlin-2, \.\.\.\) are not this run's 10 in its order \(.*\): its fc8 outputs stand for other labels/);
  });

  it('a file that is not a MatConvNet model is refused with an error naming it, before anything is written', async () => {
    const file = join(root, 'not-a-model.mat');
    writeFileSync(file, '{"not": "a mat file"}'.padEnd(200));
    const out = join(root, 'from-bad-mat');
    const result = await runCli(['train', '--init', file, ...SMALL, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`--init ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*not a MAT v5 file`));
    expect(existsSync(out)).toBe(false);
  });
});
