// The webgpu backend in Node: through Dawn (the optional `webgpu` package) when it finds an adapter, otherwise a
// clear error naming what is missing, and TF.js stays on the backend it was on.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, useBackend } from '@sketch-xnor/backends';

const hasDawn = (() => {
  try {
    createRequire(import.meta.url).resolve('webgpu');
    return true;
  } catch {
    return false;
  }
})();

const NO_ADAPTER = 'backend "webgpu": no WebGPU adapter was found (no GPU, or its driver is not usable here)';
const NO_DAWN = 'backend "webgpu" needs the npm package webgpu, which is not installed: npm install webgpu';

const savedNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
function setNavigator(value: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });
}

afterEach(() => {
  if (savedNavigator) Object.defineProperty(globalThis, 'navigator', savedNavigator);
  else delete (globalThis as { navigator?: unknown }).navigator; // Node 20 has none
});

afterAll(async () => {
  await useBackend('cpu');
});

describe('useBackend("webgpu") in Node', () => {
  it('says that no adapter was found when navigator.gpu has none, and stays on cpu', async () => {
    await useBackend('cpu');
    let asked = 0;
    setNavigator({ gpu: { requestAdapter: async () => (asked++, null) } });
    const err = await useBackend('webgpu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toBe(NO_ADAPTER);
    expect(asked).toBe(1);
    expect(tf.getBackend()).toBe('cpu');
  });

  it(`${hasDawn ? 'starts Dawn and trains on its adapter, or says it found none' : 'names the webgpu package to install'}`, async () => {
    await useBackend('cpu');
    const outcome = await useBackend('webgpu').catch((e: unknown) => e);
    if (!hasDawn) {
      expect(outcome).toBeInstanceOf(BackendError);
      expect((outcome as Error).message).toBe(NO_DAWN);
      expect(tf.getBackend()).toBe('cpu');
      return;
    }
    if (outcome instanceof Error) {
      // this machine: Dawn loads, but there is no GPU (nor Vulkan) for it
      expect(outcome).toBeInstanceOf(BackendError);
      expect(outcome.message).toBe(NO_ADAPTER);
      expect(tf.getBackend()).toBe('cpu');
      return;
    }
    // a GPU machine: a convolution and its filter gradient as the cpu backend computes them (async reads only:
    // webgpu's synchronous read needs OffscreenCanvas, which Node lacks)
    expect(outcome).toBe('webgpu');
    const compute = () => {
      const x = tf.randomUniform([2, 12, 12, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2) as tf.Tensor4D;
      const dw = tf.grad((k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, k as tf.Tensor4D, 1, 'same'))))(w);
      return [tf.conv2d(x, w, 1, 'same'), dw];
    };
    const onWebgpu = await Promise.all(tf.tidy(compute).map((t) => t.data()));
    await useBackend('cpu');
    const onCpu = await Promise.all(tf.tidy(compute).map((t) => t.data()));
    onCpu.forEach((want, i) => {
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(0);
      const diff = want.reduce((m, v, j) => Math.max(m, Math.abs(v - onWebgpu[i]![j]!)), 0);
      expect(diff / scale).toBeLessThan(1e-4);
    });
  });
});
