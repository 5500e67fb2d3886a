import { describe, expect, it, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, listBackends, getBackend, registerBackend, unregisterBackend, registerProjectKernels, backendFactory, BackendError } from '@sketch-xnor/backends';

afterAll(async () => {
  await useBackend('cpu');
});

describe('backend registry', () => {
  // first in this file: nothing has loaded the wasm backend yet
  it('refuses to register project kernels for a backend that is not loaded', () => {
    expect(tf.findBackendFactory('wasm')).toBeNull();
    expect(() => registerProjectKernels('wasm')).toThrow(/registerProjectKernels\("wasm"\): load the backend first/);
  });

  it('lists the built-in backends and refuses unknown names, naming the known ones', () => {
    expect(listBackends()).toEqual(['cpu', 'tensorflow', 'tensorflow-gpu', 'wasm', 'webgl', 'webgpu']);
    expect(() => getBackend('cuda')).toThrow(/Unknown backend "cuda"\. Known backends: cpu, tensorflow, tensorflow-gpu, wasm, webgl, webgpu/);
  });

  it('switches to wasm (the default) and cpu, and says so', async () => {
    expect(await useBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await useBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('names the npm package of a backend that is not installed', async () => {
    await expect(useBackend('tensorflow-gpu')).rejects.toThrow(/needs the npm package @tensorflow\/tfjs-node-gpu, which is not installed/);
    await expect(useBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node/);
    await expect(useBackend('webgl')).rejects.toThrow(/runs in browsers only/);
    // no GPU and no Dawn here: webgpu fails with the package to install or the missing adapter
    await expect(useBackend('webgpu')).rejects.toThrow(/npm package webgpu|no WebGPU adapter/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('never falls back silently: a backend that fails to start is an error', async () => {
    tf.registerBackend('broken-for-test', () => {
      throw new Error('no device');
    });
    registerBackend(
      backendFactory({ name: 'broken', engineName: 'broken-for-test', packageName: 'none', description: 'fails', load: async () => {} }),
    );
    const err = await useBackend('broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(String(err)).toMatch(/backend "broken" failed to start: tf\.setBackend\("broken-for-test"\) returned false and TF\.js is on "(cpu|wasm)"; refusing/);
    tf.removeBackend('broken-for-test');
    expect(unregisterBackend('broken')).toBe(true);
  });

  it('says why when wasm paths come too late and when a backend is given options', async () => {
    await useBackend('wasm');
    await expect(useBackend('wasm', { wasmPaths: '/somewhere/' })).rejects.toThrow(/backend "wasm": cannot set the \.wasm file paths, the backend has already started/);
    expect(() => getBackend({ name: 'cpu', threads: 4 })).toThrow(/Invalid config for backend "cpu": backend "cpu" takes no options \(got threads\)/);
    expect(getBackend({ name: 'cpu' }).packageName).toBe('@tensorflow/tfjs-backend-cpu');
  });

  it('runs the README example', async () => {
    await useBackend(); // 'wasm', with the project's training kernels
    expect([tf.getBackend(), listBackends()]).toEqual(['wasm', ['cpu', 'tensorflow', 'tensorflow-gpu', 'wasm', 'webgl', 'webgpu']]);
    const message = await useBackend('tensorflow').catch((err: Error) => err.message);
    expect(message).toBe(
      'backend "tensorflow" needs the npm package @tensorflow/tfjs-node, which is not installed: npm install @tensorflow/tfjs-node',
    );
  });
});
