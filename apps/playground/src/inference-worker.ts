// One inference worker: one model on one TF.js backend, so drawing on the page never waits for a network.
// The page starts one for the float model and one for the binary model (see protocol.ts).
import * as tf from '@tensorflow/tfjs-core';
import { switchBackend } from './backend-setup.js';
import { describeLoadError, loadModel, sourceFor, type LoadedModel } from './model-loader.js';
import { toProbabilities } from './model-meta.js';
import { networkInput } from './preprocess.js';
import { topK } from './strokes.js';
import { createWorkQueue } from './work-queue.js';
import type { FromWorker, ModelOrigin, ToWorker } from './protocol.js';

const post = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

let loaded: LoadedModel | undefined;
let origin: ModelOrigin | undefined;

async function load(from: ModelOrigin): Promise<void> {
  try {
    const next = await loadModel(sourceFor(from));
    let kernels: string[];
    try {
      kernels = await warmUp(next);
    } catch (err) {
      next.model.dispose();
      throw err;
    }
    loaded?.model.dispose();
    loaded = next;
    origin = from;
    const { meta } = next;
    post({
      type: 'loaded',
      info: { name: meta.name, format: next.format, bytes: next.bytes, classes: meta.classes, inputSize: meta.input.cropSize, channels: meta.input.channels, where: next.where, kernels },
    });
  } catch (err) {
    post({ type: 'error', during: 'load', message: describeLoadError(err) });
  }
}

/**
 * The first run compiles shaders / allocates; done here so the latency shown is the steady one. Read back with
 * await data(): a synchronous read on webgpu goes through a canvas and can lose the device. It runs under
 * tf.profile, which names the kernels it ran (on this backend: XnorConv2D on webgpu is the WGSL kernel).
 */
async function warmUp({ model, meta }: LoadedModel): Promise<string[]> {
  const { cropSize, channels } = meta.input;
  const input = tf.zeros([1, cropSize, cropSize, channels]);
  try {
    const profile = await tf.profile(async () => {
      const output = model.predict(input) as tf.Tensor;
      await output.data();
      output.dispose();
    });
    return [...new Set(profile.kernels.map((k) => k.name))];
  } finally {
    input.dispose();
  }
}

async function setBackend(name: ToWorker & { type: 'backend' }): Promise<void> {
  const previous = tf.getBackend();
  try {
    const active = await switchBackend(name.backend);
    post({ type: 'backend', backend: active });
  } catch (err) {
    // stay usable on the backend that worked
    if (previous) await tf.setBackend(previous);
    post({ type: 'backend', backend: tf.getBackend(), error: messageOf(err) });
    return;
  }
  // weights live on the old backend: rebuild the model on the new one
  if (origin && previous !== tf.getBackend()) await load(origin);
}

async function predict({ id, strokes }: ToWorker & { type: 'predict' }): Promise<void> {
  if (!loaded) return;
  const { model, meta } = loaded;
  try {
    const input = networkInput(strokes, meta.input);
    const { cropSize, channels } = meta.input;
    const started = performance.now(); // the network alone: preprocessing is the same for both models
    const output = tf.tidy(() => model.predict(tf.tensor4d(input, [1, cropSize, cropSize, channels])) as tf.Tensor);
    const scores = await output.data();
    output.dispose();
    const ms = performance.now() - started;
    post({ type: 'prediction', id, top: topK(toProbabilities(scores), meta.classes, 5), ms, input, size: cropSize, channels }, [input.buffer]);
  } catch (err) {
    post({ type: 'error', during: 'predict', message: `${meta.name}: ${messageOf(err)}` });
  }
}

const queue = createWorkQueue<ToWorker>(
  async (message) => {
    if (message.type === 'backend') await setBackend(message);
    else if (message.type === 'load') await load(message.origin);
    else await predict(message);
  },
  (message) => message.type === 'predict',
);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => queue.push(event.data));
