// The training loop as one Observable of events. Side effects (checkpoint files) happen here at the edge;
// the math lives in adam.ts, schedule.ts and metrics.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
// tfjs-core alone registers no gradients; tfjs-layers' entry registers them all (as the tfjs union package does).
import '@tensorflow/tfjs-layers';
import { clipLatentWeights } from '@sketch-xnor/binary-ops';
import { Observable, share } from 'rxjs';
import { Adam, type AdamOptions } from './adam.js';
import { checkpointFile, loadCheckpoint, restoreCheckpoint, saveCheckpoint, type EpochTotals, type TrainingPosition } from './checkpoint.js';
import { checkBatch, testBatches, toTrainingDataSource, type Batch, type TestData, type TrainingData } from './data.js';
import { TrainingDivergedError, type EvalEvent, type TrainEvent } from './events.js';
import { centerViewRows, countTopK, crossEntropy, sumOfSoftmax, voteScores } from './metrics.js';
import { exponentialDecay, STUDY_LEARNING_RATE_SCHEDULE, type ExponentialDecayOptions } from './schedule.js';
import { mixSeed, withSeededMathRandom } from './seeded-random.js';

export interface TrainOptions {
  /** The model to train, in place. Its output is read as logits (`[N, classes]`, or `[N, 1, 1, classes]` from a 1x1-conv head). */
  model: LayersModel;
  trainData: TrainingData;
  /** Evaluated after every epoch (and every `evalEverySteps`), center view and multi-view. */
  testData?: TestData;
  epochs: number;
  /** Stop once this many optimizer updates are done in total (counting those before a resume). */
  maxSteps?: number;
  /** A constant, an exponential decay, or any schedule of the global step. Default: the study's schedule. */
  learningRate?: number | ExponentialDecayOptions | ((step: number) => number);
  optimizer?: AdamOptions;
  /** Seeds the trainer's own randomness (dropout masks). Default 0. Ignored when resuming: the checkpoint's seed is used. */
  seed?: number;
  /** Folder for checkpoints; without it nothing is written. */
  runDir?: string;
  /** Also checkpoint every this many steps (checkpoints are always written at the end of each epoch and of the run). */
  checkpointEverySteps?: number;
  evalEverySteps?: number;
  /** Continue from `runDir`'s checkpoint (`true`) or from the given checkpoint file. */
  resume?: boolean | string;
  /** Clip quantized layers' latent weights after every update (binary-ops' `clipLatentWeights`), or a custom constraint. Default true. */
  clipLatentWeights?: boolean | ((model: LayersModel) => void);
  /** Stops at the next step boundary, writes a checkpoint and completes with `done` (reason `aborted`). */
  signal?: AbortSignal;
}

function scheduleOf(learningRate: TrainOptions['learningRate']): (step: number) => number {
  if (learningRate === undefined) return exponentialDecay(STUDY_LEARNING_RATE_SCHEDULE);
  if (typeof learningRate === 'function') return learningRate;
  if (typeof learningRate === 'number') {
    if (!(learningRate > 0)) throw new Error(`train: learningRate must be positive, got ${learningRate}`);
    return () => learningRate;
  }
  return exponentialDecay(learningRate);
}

const now = () => new Date().toISOString();

/**
 * Lets timers and signal handlers (Ctrl-C, SIGTERM) run before the next step: batches that are ready resolve as
 * microtasks, and a loop of microtasks alone never gives the event loop a turn.
 */
const yieldToEventLoop = () =>
  new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
const emptyTotals = (): EpochTotals => ({ lossSum: 0, correct: 0, samples: 0, batches: 0 });

/** Mean softmax cross-entropy of `[N, classes]` logits against int labels, via log-softmax (stable for large logits). */
export function crossEntropyLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), -1))) as tf.Scalar);
}

interface ModelShape {
  height?: number;
  width?: number;
  channels?: number;
  classes: number;
}

function modelShape(model: LayersModel): ModelShape {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const classes = output[output.length - 1];
  if (typeof classes !== 'number' || output.slice(1, -1).some((d) => d !== 1)) {
    throw new Error(`train: the model's output shape [${output}] is not [N, classes] (or [N, 1, 1, classes])`);
  }
  const dim = (d: number | null | undefined) => (typeof d === 'number' ? d : undefined);
  return { height: dim(input[1]), width: dim(input[2]), channels: dim(input[3]), classes };
}

function logitsOf(model: LayersModel, images: tf.Tensor4D, training: boolean, classes: number): tf.Tensor2D {
  const output = model.apply(images, { training }) as tf.Tensor;
  return tf.reshape(output, [-1, classes]);
}

/**
 * Trains `model` and reports progress as one Observable of `TrainEvent`s. Training starts on the first
 * subscription and is shared by all subscribers attached before its first event (attach them together);
 * when every subscriber unsubscribes it stops at the next step. Errors (bad batches, a corrupt checkpoint,
 * a diverged loss: `TrainingDivergedError`) arrive as the Observable's error.
 */
export function train(options: TrainOptions): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    let unsubscribed = false;
    // Start on a microtask, so subscribers attached in the same tick as the first one see every event.
    Promise.resolve()
      .then(() => runTraining(options, (event) => subscriber.next(event), () => unsubscribed))
      .then(
        () => subscriber.complete(),
        (error: unknown) => subscriber.error(error),
      );
    return () => {
      unsubscribed = true;
    };
  }).pipe(share());
}

async function runTraining(options: TrainOptions, emit: (event: TrainEvent) => void, unsubscribed: () => boolean): Promise<void> {
  const { model, epochs, maxSteps, runDir, checkpointEverySteps, evalEverySteps, signal } = options;
  for (const [key, value] of Object.entries({ epochs, maxSteps, checkpointEverySteps, evalEverySteps })) {
    if (value !== undefined && (!Number.isInteger(value) || value < (key === 'epochs' ? 0 : 1))) {
      throw new Error(`train: ${key} must be a ${key === 'epochs' ? 'non-negative' : 'positive'} integer, got ${value}`);
    }
  }
  if (options.resume && runDir === undefined && typeof options.resume !== 'string') throw new Error('train: resume needs runDir or a checkpoint file');
  if (checkpointEverySteps !== undefined && runDir === undefined) throw new Error('train: checkpointEverySteps needs runDir');
  const schedule = scheduleOf(options.learningRate);
  const source = toTrainingDataSource(options.trainData);
  const constrain =
    options.clipLatentWeights === false ? undefined : typeof options.clipLatentWeights === 'function' ? options.clipLatentWeights : clipLatentWeights;
  const shape = modelShape(model);
  const optimizer = new Adam(options.optimizer);
  const trainables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const nonTrainables = model.nonTrainableWeights;

  let position: TrainingPosition = { step: 0, epoch: 0, batch: 0, learningRate: schedule(0), seed: options.seed ?? 0, epochTotals: emptyTotals() };
  let lastCheckpoint: string | undefined;
  let resumedFrom: string | undefined;
  if (options.resume) {
    const file = typeof options.resume === 'string' ? options.resume : checkpointFile(runDir!);
    const checkpoint = await loadCheckpoint(file);
    restoreCheckpoint(checkpoint, model, optimizer);
    position = { ...checkpoint.position, epochTotals: { ...checkpoint.position.epochTotals } };
    if (position.dataState !== undefined) source.setState?.(position.dataState);
    lastCheckpoint = resumedFrom = file;
  }

  const stamp = () => ({ step: position.step, epoch: position.epoch, time: now() });
  const writeCheckpoint = async () => {
    if (runDir === undefined) return;
    const dataState = source.getState?.();
    lastCheckpoint = await saveCheckpoint(runDir, model, optimizer, dataState === undefined ? position : { ...position, dataState });
    emit({ type: 'checkpoint', ...stamp(), batch: position.batch, file: lastCheckpoint });
  };
  let lastEvalStep = -1;
  const runEval = async () => {
    // The model is unchanged since an evaluation at this same step (e.g. evalEverySteps at an epoch's end).
    if (options.testData === undefined || lastEvalStep === position.step) return;
    lastEvalStep = position.step;
    emit({ type: 'eval', ...stamp(), ...(await evaluate(model, options.testData, shape)) });
  };
  // Values are read back with await data(), never dataSync(): webgpu in Node has no synchronous read back, and in
  // browsers a synchronous one stalls the page.
  const trainStep = async (batch: Batch, learningRate: number) => {
    // BatchNorm updates its moving statistics during the forward pass; keep the old ones in case this step is discarded.
    const statistics = nonTrainables.map((v) => tf.clone(v.read()));
    const { value, grads, correct: correctTensor } = tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [batch.size, batch.height, batch.width, batch.channels]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      let correct: tf.Tensor | undefined;
      const result = tf.variableGrads(() => {
        const logits = logitsOf(model, images, true, shape.classes);
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')));
        return crossEntropyLoss(logits, labels);
      }, trainables);
      return { ...result, correct: correct! };
    });
    try {
      const [loss, correct] = (await Promise.all([value.data(), correctTensor.data()])).map((d) => d[0]!) as [number, number];
      if (!Number.isFinite(loss)) {
        nonTrainables.forEach((v, i) => v.write(statistics[i]!));
        return { loss, correct, gradientNorm: NaN };
      }
      const gradientNorm = await optimizer.apply(trainables, trainables.map((v) => grads[v.name]), learningRate);
      return { loss, correct, gradientNorm };
    } finally {
      tf.dispose([value, correctTensor, ...Object.values(grads), ...statistics]);
    }
  };

  emit({ type: 'start', ...stamp(), batch: position.batch, epochs, batchesPerEpoch: source.batchesPerEpoch, maxSteps, resumedFrom });
  let reason: 'completed' | 'max-steps' | 'aborted' = 'completed';
  try {
    epochs: while (position.epoch < epochs) {
      if (maxSteps !== undefined && position.step >= maxSteps) {
        reason = 'max-steps';
        break;
      }
      let stepStarted = performance.now();
      for await (const batch of source.batches(position.epoch, position.batch)) {
        await yieldToEventLoop();
        if (unsubscribed()) return;
        if (signal?.aborted) {
          reason = 'aborted';
          break epochs;
        }
        checkBatch(batch, `training batch ${position.batch} of epoch ${position.epoch}`, shape);
        const learningRate = schedule(position.step);
        // Dropout masks are drawn from Math.random; seeding it per step makes them survive a resume. The forward and
        // backward pass run synchronously before trainStep's first await, so all of them see the seeded Math.random.
        const result = await withSeededMathRandom(mixSeed(position.seed, position.step), () => trainStep(batch, learningRate));
        if (!Number.isFinite(result.loss)) {
          throw new TrainingDivergedError(position.step, position.epoch, position.batch, result.loss, lastCheckpoint);
        }
        constrain?.(model);
        const totals = position.epochTotals;
        position = {
          ...position,
          step: position.step + 1,
          batch: position.batch + 1,
          learningRate,
          epochTotals: {
            lossSum: totals.lossSum + result.loss * batch.size,
            correct: totals.correct + result.correct,
            samples: totals.samples + batch.size,
            batches: totals.batches + 1,
          },
        };
        const finished = performance.now();
        emit({
          type: 'step',
          ...stamp(),
          batch: position.batch - 1,
          loss: result.loss,
          top1: result.correct / batch.size,
          lr: learningRate,
          gradientNorm: result.gradientNorm,
          batchSize: batch.size,
          imagesPerSecond: batch.size / Math.max((finished - stepStarted) / 1000, 1e-9),
        });
        const atLimit = maxSteps !== undefined && position.step >= maxSteps;
        if (evalEverySteps !== undefined && position.step % evalEverySteps === 0) await runEval();
        if (checkpointEverySteps !== undefined && position.step % checkpointEverySteps === 0 && !atLimit) await writeCheckpoint();
        if (atLimit) {
          reason = 'max-steps';
          break epochs;
        }
        stepStarted = performance.now();
      }
      if (unsubscribed()) return;
      const totals = position.epochTotals;
      emit({ type: 'epoch', ...stamp(), loss: totals.lossSum / totals.samples, top1: totals.correct / totals.samples, batches: totals.batches, samples: totals.samples });
      await runEval();
      position = { ...position, epoch: position.epoch + 1, batch: 0, epochTotals: emptyTotals() };
      if (position.epoch < epochs) await writeCheckpoint();
    }
    if (unsubscribed()) return;
    await writeCheckpoint();
    emit({ type: 'done', ...stamp(), reason, checkpoint: lastCheckpoint });
  } finally {
    optimizer.dispose();
  }
}

/** Center-view and multi-view metrics of `model` on `data`. */
export async function evaluate(
  model: LayersModel,
  data: TestData,
  shape: ModelShape = modelShape(model),
): Promise<Omit<EvalEvent, 'type' | 'step' | 'epoch' | 'time'>> {
  const { classes } = shape;
  let samples = 0;
  let lossSum = 0;
  const correct = { top1: 0, top5: 0, top1TenView: 0, top5TenView: 0, top1Vote: 0, top5Vote: 0 };
  let views: number | undefined;
  let index = 0;
  for await (const batch of testBatches(data)) {
    checkBatch(batch, `test batch ${index++}`, shape);
    const batchViews = batch.views ?? 1;
    if (views !== undefined && views !== batchViews) throw new Error(`test batch ${index - 1}: ${batchViews} views, earlier batches had ${views}`);
    views = batchViews;
    const logitsTensor = tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [batch.size * batchViews, batch.height, batch.width, batch.channels]);
      return logitsOf(model, images, false, classes);
    });
    const logits = (await logitsTensor.data()) as Float32Array;
    logitsTensor.dispose();
    const center = centerViewRows(logits, batch.size, batchViews, classes);
    samples += batch.size;
    lossSum += crossEntropy(center, batch.labels, classes) * batch.size;
    correct.top1 += countTopK(center, batch.labels, classes, 1);
    correct.top5 += countTopK(center, batch.labels, classes, 5);
    if (batchViews > 1) {
      const summed = sumOfSoftmax(logits, batch.size, batchViews, classes);
      const votes = voteScores(logits, batch.size, batchViews, classes);
      correct.top1TenView += countTopK(summed, batch.labels, classes, 1);
      correct.top5TenView += countTopK(summed, batch.labels, classes, 5);
      correct.top1Vote += countTopK(votes, batch.labels, classes, 1);
      correct.top5Vote += countTopK(votes, batch.labels, classes, 5);
    }
  }
  if (samples === 0) throw new Error('evaluate: the test data has no samples');
  const result: Omit<EvalEvent, 'type' | 'step' | 'epoch' | 'time'> = {
    split: 'test',
    samples,
    loss: lossSum / samples,
    top1: correct.top1 / samples,
    top5: correct.top5 / samples,
    views: views!,
  };
  if (views! > 1) {
    result.top1TenView = correct.top1TenView / samples;
    result.top5TenView = correct.top5TenView / samples;
    result.top1Vote = correct.top1Vote / samples;
    result.top5Vote = correct.top5Vote / samples;
  }
  return result;
}
