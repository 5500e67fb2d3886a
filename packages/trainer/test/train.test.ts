import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, toArray } from 'rxjs';
import { readFileSync, existsSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointError,
  TrainingDivergedError,
  checkpointFile,
  jsonlLogger,
  loadCheckpoint,
  metricsFile,
  train,
  evaluate,
  PREVIOUS_CHECKPOINT_FILE,
  type EvalEvent,
  type StepEvent,
  type TrainEvent,
  type TrainOptions,
} from '../src/index.js';
import { CLASSES, syntheticBatch, syntheticSource, syntheticTestBatch, tempDir, tinyModel, useCpu, weightsOf } from './helpers.js';

beforeAll(useCpu);

const run = (options: TrainOptions) => lastValueFrom(train(options).pipe(toArray()));
const testBatches = [syntheticTestBatch(77, 24, 10), syntheticTestBatch(78, 24, 10)];

describe('train', () => {
  it('learns a separable problem: loss falls, accuracy rises, center and 10-view metrics reported', async () => {
    const model = tinyModel(3, { dropout: 0 });
    const before = await evaluate(model, testBatches);
    const events = await run({ model, trainData: syntheticSource(8, 16), testData: testBatches, epochs: 6, learningRate: 0.01 });
    const epochs = events.filter((e) => e.type === 'epoch');
    const evals = events.filter((e): e is EvalEvent => e.type === 'eval');
    expect(events[0]!.type).toBe('start');
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', step: 48 });
    expect(events.filter((e) => e.type === 'step')).toHaveLength(48);
    expect(epochs).toHaveLength(6);
    expect(evals).toHaveLength(6);
    expect(epochs[5]!.loss).toBeLessThan(epochs[0]!.loss * 0.5);
    const final = evals[5]!;
    expect(final).toMatchObject({ split: 'test', samples: 48, views: 10 });
    expect(final.top1).toBeGreaterThanOrEqual(0.9);
    expect(final.top1).toBeGreaterThanOrEqual(before.top1 + 0.3);
    expect(final.top1TenView).toBeGreaterThanOrEqual(0.9);
    expect(final.top1Vote).toBeGreaterThanOrEqual(0.9);
    expect(final.top5).toBe(1); // 3 classes: the label is always among the top 5
    expect(final.loss).toBeLessThan(before.loss / 4);
  });

  it('decays the learning rate per step, calls the latent-weight constraint after every update, evaluates on schedule', async () => {
    let constrained = 0;
    const testData = { async *[Symbol.asyncIterator]() { yield syntheticTestBatch(3, 6, 10); } };
    const events = await run({
      model: tinyModel(),
      trainData: syntheticSource(3, 4),
      testData,
      evalEverySteps: 2,
      epochs: 2,
      learningRate: { initialLearningRate: 0.01, decayRate: 0.5, decaySteps: 2, initialStep: 2 },
      clipLatentWeights: () => constrained++,
    });
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    steps.forEach((s, i) => expect(s.lr).toBeCloseTo(0.01 * Math.pow(0.5, (2 + i) / 2), 12));
    expect(constrained).toBe(6);
    // Evaluations every 2 steps and after each epoch (step 3, and step 6 only once), from a re-iterable async source.
    expect(events.filter((e) => e.type === 'eval').map((e) => [e.step, (e as EvalEvent).samples])).toEqual([[2, 6], [3, 6], [4, 6], [6, 6]]);
  });

  it('writes every event to metrics.jsonl through jsonlLogger', async () => {
    const runDir = tempDir('jsonl');
    const events$ = train({ model: tinyModel(), trainData: syntheticSource(2, 4), testData: testBatches, epochs: 1, learningRate: 0.01, runDir });
    events$.subscribe(jsonlLogger(metricsFile(runDir)));
    const events = await lastValueFrom(events$.pipe(toArray()));
    const lines = readFileSync(metricsFile(runDir), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TrainEvent);
    expect(lines.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(lines.map((e) => e.type)).toEqual(['start', 'step', 'step', 'epoch', 'eval', 'checkpoint', 'done']);
    expect(lines[1]).toMatchObject({ type: 'step', step: 1, epoch: 0, lr: 0.01 });
    expect(typeof (lines[1] as StepEvent).imagesPerSecond).toBe('number');
    expect(Date.parse(lines[1]!.time)).not.toBeNaN();
    expect(lines[4]).toHaveProperty('top1TenView');
  });

  it('stops with a clear error on a NaN loss, without updating the weights, keeping the last good checkpoint', async () => {
    const runDir = tempDir('nan');
    const model = tinyModel();
    const poisoned = syntheticBatch(5, 4);
    poisoned.images[3] = NaN;
    let weightsBeforeBadStep: Float32Array[] = [];
    const trainData = async function* (epoch: number, start: number) {
      for (let b = start; b < 6; b++) {
        if (b === 5) weightsBeforeBadStep = weightsOf(model);
        yield b === 5 ? poisoned : syntheticBatch(b + 1, 4);
      }
    };
    const log = join(runDir, 'metrics.jsonl');
    const events$ = train({ model, trainData, epochs: 1, learningRate: 0.01, runDir, checkpointEverySteps: 2 });
    events$.subscribe({ ...jsonlLogger(log), error: jsonlLogger(log).error });
    const error = await lastValueFrom(events$).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/loss is NaN at step 6 \(epoch 0, batch 5\)/);
    expect((error as Error).message).toContain(checkpointFile(runDir));
    expect(weightsOf(model)).toEqual(weightsBeforeBadStep);
    expect((await loadCheckpoint(checkpointFile(runDir))).position.step).toBe(4);
    expect(readFileSync(log, 'utf8').trim().split('\n').at(-1)).toMatch(/"type":"error".*loss is NaN/);
  });

  it('names the file of a truncated or corrupt checkpoint, and the previous checkpoint survives', async () => {
    const runDir = tempDir('corrupt');
    await run({ model: tinyModel(), trainData: syntheticSource(4, 4), epochs: 1, learningRate: 0.01, runDir, checkpointEverySteps: 1 });
    const file = checkpointFile(runDir);
    const previous = join(runDir, PREVIOUS_CHECKPOINT_FILE);
    expect((await loadCheckpoint(file)).position).toMatchObject({ step: 4, epoch: 1, batch: 0 });
    expect((await loadCheckpoint(previous)).position).toMatchObject({ step: 4, epoch: 0, batch: 4 });

    const bytes = readFileSync(file);
    truncateSync(file, statSync(file).size - 10);
    const resume = () => run({ model: tinyModel(), trainData: syntheticSource(4, 4), epochs: 2, runDir, resume: true });
    await expect(resume()).rejects.toThrow(CheckpointError);
    await expect(resume()).rejects.toThrow(`checkpoint ${file}: truncated`);

    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5]! ^= 0xff;
    writeFileSync(file, flipped);
    await expect(resume()).rejects.toThrow(`checkpoint ${file}: corrupt: the header and payload do not match their SHA-256 checksum`);
    writeFileSync(file, 'hello');
    await expect(resume()).rejects.toThrow(/not a checkpoint file/);
    expect((await loadCheckpoint(previous)).position).toMatchObject({ step: 4, batch: 4 });
  });

  it('refuses a checkpoint written for another model, naming the file and the weight', async () => {
    const runDir = tempDir('mismatch');
    await run({ model: tinyModel(), trainData: syntheticSource(1, 4), epochs: 1, runDir });
    const tfl = await import('@tensorflow/tfjs-layers');
    const other = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [8, 8, 1] }), tfl.layers.dense({ units: CLASSES })] });
    await expect(run({ model: other, trainData: syntheticSource(1, 4), epochs: 2, runDir, resume: true })).rejects.toThrow(
      new RegExp(`checkpoint ${checkpointFile(runDir)}: has \\d+ weights, the model has 2`),
    );
  });

  it('stops cleanly on abort, with a checkpoint to resume from', async () => {
    const runDir = tempDir('abort');
    const controller = new AbortController();
    const events$ = train({ model: tinyModel(), trainData: syntheticSource(10, 4), epochs: 1, runDir, signal: controller.signal });
    events$.subscribe((e) => e.type === 'step' && e.step === 3 && controller.abort());
    const events = await lastValueFrom(events$.pipe(toArray()));
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'aborted', step: 3, checkpoint: checkpointFile(runDir) });
    expect((await loadCheckpoint(checkpointFile(runDir))).position).toMatchObject({ step: 3, epoch: 0, batch: 3 });
    expect(existsSync(join(runDir, PREVIOUS_CHECKPOINT_FILE))).toBe(false);
  });

  it('lets timers and signal handlers run between steps, so an abort from a timer stops it (Ctrl-C, SIGTERM)', async () => {
    const controller = new AbortController();
    let timerFired = false;
    // a macrotask: it only runs if the training loop yields to the event loop (an all-microtask loop starves it)
    setTimeout(() => ((timerFired = true), controller.abort()), 0);
    const events = await run({ model: tinyModel(), trainData: syntheticSource(200, 4), epochs: 1, signal: controller.signal });
    expect(timerFired).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'aborted' });
    expect((events.at(-1) as { step: number }).step).toBeLessThan(200);
  });

  it('leaks no tensors over a run with evaluations and checkpoints', async () => {
    const model = tinyModel();
    const trainData = syntheticSource(3, 4);
    await run({ model, trainData, epochs: 1, runDir: tempDir('warmup') }); // first calls may cache kernels
    const before = tf.memory().numTensors;
    await run({ model, trainData, testData: testBatches, epochs: 2, evalEverySteps: 2, runDir: tempDir('leak'), checkpointEverySteps: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("stores the data source's state in checkpoints and hands it back on resume", async () => {
    const runDir = tempDir('data-state');
    const states: unknown[] = [];
    const source = (cursor: { value: number }) => ({
      ...syntheticSource(4, 4),
      getState: () => ({ cursor: cursor.value++ }),
      setState: (state: unknown) => states.push(state),
    });
    await run({ model: tinyModel(), trainData: source({ value: 10 }), epochs: 1, runDir, checkpointEverySteps: 3 });
    expect((await loadCheckpoint(checkpointFile(runDir))).position.dataState).toEqual({ cursor: 11 });
    await run({ model: tinyModel(), trainData: source({ value: 0 }), epochs: 2, runDir, resume: true });
    expect(states).toEqual([{ cursor: 11 }]);
  });

  it('rejects malformed batches with the batch position and what is wrong', async () => {
    const bad = { ...syntheticBatch(1, 4), labels: new Int32Array([0, 1, 7, 2]) };
    await expect(run({ model: tinyModel(), trainData: () => [bad], epochs: 1 })).rejects.toThrow(
      'training batch 0 of epoch 0: label 7 of sample 2 is outside [0, 3) (the model has 3 classes)',
    );
    const short = { ...syntheticBatch(1, 4), images: new Float32Array(10) };
    await expect(run({ model: tinyModel(), trainData: () => [short], epochs: 1 })).rejects.toThrow(/batch.images has 10 values, expected/);
  });
});
