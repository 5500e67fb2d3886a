// Asking about the wasm backend must not start it: tfjs's findBackend starts a registered backend, and the
// setBackend that follows starts it again (each start fetches the .wasm file: twice per page load).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { useBackend, wasmThreads } from '@sketch-xnor/backends';

const engineState = () => tf.engine() as unknown as { registry: Record<string, unknown>; pendingBackendInit?: Promise<boolean> };

describe('the wasm backend starts once', () => {
  it('wasmThreads() before the start neither starts it nor begins to', async () => {
    expect(await wasmThreads()).toBeUndefined();
    expect('wasm' in engineState().registry).toBe(false);
    expect(engineState().pendingBackendInit).toBeUndefined();
  });

  it('useBackend("wasm") starts it exactly once', async () => {
    let starts = 0;
    const factory = tf.engine().registryFactory['wasm']!;
    tf.engine().registryFactory['wasm'] = { ...factory, factory: () => (starts++, factory.factory()) };
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(starts).toBe(1);
    expect(await wasmThreads()).toBe(1);
  });
});
