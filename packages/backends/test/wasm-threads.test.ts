// useBackend('wasm', { threads }) in Node: tfjs's threaded SIMD build with XNNPACK's thread pool. The thread count
// is fixed once per process, so each count runs in a child process (test/threads/child.ts) and hands its results
// back as bytes; the cpu backend, here, is the reference.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, wasmThreads, MAX_WASM_THREADS, defaultThreads } from '@sketch-xnor/backends';
import { kernelResults, trainedWeights } from './threads/cases.js';

interface ChildResult {
  threads: number;
  kernels: Record<string, string>;
  weights: string[];
}

const child = fileURLToPath(new URL('./threads/child.ts', import.meta.url));

function runChild(threads: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', child],
      { env: { ...process.env, THREADS: String(threads) }, maxBuffer: 1 << 28, timeout: 170_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`child on ${threads} threads failed: ${err.message}\n${stderr}`));
        const line = stdout.trim().split('\n').at(-1)!;
        resolve(JSON.parse(line) as ChildResult);
      },
    );
  });
}

const floats = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d / scale;
}

describe('wasm on several threads in Node', () => {
  let one: ChildResult;
  let two: ChildResult;
  let twoAgain: ChildResult;
  let cpuKernels: Record<string, Float32Array>;
  let cpuWeights: Float32Array[];

  beforeAll(async () => {
    // one at a time: the machine may have 2 cores
    one = await runChild(1);
    two = await runChild(2);
    twoAgain = await runChild(2);
    await useBackend('cpu');
    cpuKernels = kernelResults();
    cpuWeights = trainedWeights();
  });

  it('runs on the threads asked for (the threaded build starts its workers from a data: URL)', () => {
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
  });

  it('gives every kernel of a train step byte for byte what one thread gives, and the cpu result within 1e-5', () => {
    const names = Object.keys(cpuKernels);
    expect(Object.keys(two.kernels)).toEqual(names);
    for (const name of names) {
      const threaded = floats(two.kernels[name]!);
      expect(Buffer.from(threaded.buffer, threaded.byteOffset, threaded.byteLength).equals(Buffer.from(one.kernels[name]!, 'base64')), name).toBe(true);
      expect(maxRelDiff(threaded, cpuKernels[name]!), name).toBeLessThan(1e-5);
    }
  });

  it('trains to byte-identical weights on 1 and 2 threads, and again on 2, close to cpu', () => {
    expect(two.weights).toEqual(one.weights);
    expect(twoAgain.weights).toEqual(two.weights);
    two.weights.forEach((w, i) => expect(maxRelDiff(floats(w), cpuWeights[i]!), `weight ${i}`).toBeLessThan(1e-4));
  });
});

describe('the threads option', () => {
  it('refuses what is not a whole number >= 1, and another count once wasm has started', async () => {
    await expect(useBackend('wasm', { threads: 0 })).rejects.toThrow(/backend "wasm": threads must be a whole number >= 1, got 0/);
    await expect(useBackend('wasm', { threads: 1.5 })).rejects.toThrow(/got 1\.5/);
    expect(await useBackend('wasm')).toBe('wasm');
    expect(await wasmThreads()).toBe(1);
    expect(await useBackend('wasm', { threads: 1 })).toBe('wasm');
    await expect(useBackend('wasm', { threads: 2 })).rejects.toThrow(
      /backend "wasm": cannot run on 2 threads, the backend has already started on 1; pass threads to the first useBackend\("wasm"\)/,
    );
    expect(tf.getBackend()).toBe('wasm');
    await useBackend('cpu');
  });

  it('defaults to the cores, capped at what the threaded build runs', () => {
    expect(MAX_WASM_THREADS).toBe(8);
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads()).toBeLessThanOrEqual(MAX_WASM_THREADS);
  });
});
