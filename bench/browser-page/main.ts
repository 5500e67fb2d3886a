/// <reference types="vite/client" />
// The page bench:browser drives in Chromium: one-image latency of the float Sketch-A-Net and of its packed XNOR
// twin (1-bit kernels, sparse conv1, folded BatchNorms) on each TF.js backend the page can start, on a real
// rendered sketch handed in by the runner.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { packModel, registerBinaryKernels } from '@sketch-xnor/binary-ops';
import { buildModel, randomizeBatchNormStatistics } from '@sketch-xnor/models';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const absolute = (url: string) => new URL(url, location.href).href;
const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': absolute(wasmPlain),
  'tfjs-backend-wasm-simd.wasm': absolute(wasmSimd),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreadedSimd),
};

export interface BenchConfig {
  label: string;
  options: { classes: number; inputSize: number; width: number };
  /** One input image, inputSize x inputSize (a rendered sketch). */
  image: number[];
  /** Timed runs per model and backend, after warm-up. */
  repeats: number;
  floatBackends: string[];
  packedBackends: string[];
}

export interface BenchTiming {
  label: string;
  model: 'float' | 'packed';
  backend: string;
  /** Per-run milliseconds (prediction and read-back), in order. */
  ms: number[];
  /** An error instead, e.g. a backend the page cannot start. */
  error?: string;
}

async function time(model: tfl.LayersModel, x: tf.Tensor, repeats: number): Promise<number[]> {
  const once = async () => {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  for (let i = 0; i < 3; i++) await once(); // shaders, kernels and weights uploaded
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await once();
    ms.push(performance.now() - start);
  }
  return ms;
}

async function benchLatency(config: BenchConfig): Promise<BenchTiming[]> {
  await useBackend('cpu');
  const float = buildModel('sketch-a-net', { ...config.options, dropout: 0 });
  const xnor = buildModel('sketch-a-net-xnor', { ...config.options, dropout: 0 });
  randomizeBatchNormStatistics(xnor);
  const { model: packed } = packModel(xnor, { sparseFirstLayer: true });
  const size = config.options.inputSize;
  const runs: Array<['float' | 'packed', tfl.LayersModel, string]> = [
    ...config.floatBackends.map((b) => ['float', float, b] as ['float', tfl.LayersModel, string]),
    ...config.packedBackends.map((b) => ['packed', packed, b] as ['packed', tfl.LayersModel, string]),
  ];
  const timings: BenchTiming[] = [];
  for (const [kind, model, backend] of runs) {
    try {
      await useBackend(backend, { wasmPaths: WASM_PATHS });
      registerBinaryKernels();
      const x = tf.tensor4d(config.image, [1, size, size, 1]);
      timings.push({ label: config.label, model: kind, backend, ms: await time(model, x, config.repeats) });
      x.dispose();
    } catch (err) {
      timings.push({ label: config.label, model: kind, backend, ms: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  return timings;
}

Object.assign(globalThis, { benchLatency, pageReady: true });
