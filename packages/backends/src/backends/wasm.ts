import { engine, setBackend } from '@tensorflow/tfjs-core';
import { backendFactory, BackendError, isNode } from '../backend-plugin.js';
import { MAX_WASM_THREADS, startThreadedWasmInNode } from './wasm-threads.js';

/** The paths the running backend was started with (tfjs-backend-wasm reads them once, at start). */
let startedWith: string | undefined;
const key = (paths: unknown) => JSON.stringify(paths);

/** The threads asked for, checked: a whole number >= 1, at most MAX_WASM_THREADS (more are capped). */
function threadsOption(threads: unknown): number | undefined {
  if (threads === undefined) return undefined;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new BackendError(`backend "wasm": threads must be a whole number >= 1, got ${String(threads)}`);
  }
  return Math.min(threads, MAX_WASM_THREADS);
}

export const wasmBackend = backendFactory({
  name: 'wasm',
  engineName: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  description: 'WebAssembly with SIMD (the default; Node and browsers; `threads` for XNNPACK threads, also in Node)',
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const threads = threadsOption(options.threads);
    if (wasmStarted()) {
      // tfjs-backend-wasm reads its paths and threads once, at start: the same again is fine (a page switching back
      // to wasm), anything else is an error instead of a silent run on the old settings
      if (options.wasmPaths && startedWith !== key(options.wasmPaths)) {
        throw new BackendError('backend "wasm": cannot set the .wasm file paths, the backend has already started; pass wasmPaths to the first useBackend("wasm")');
      }
      if (threads !== undefined && wasm.getThreadsCount() !== threads) {
        const running = wasm.getThreadsCount();
        throw new BackendError(
          `backend "wasm": cannot run on ${threads} thread${threads === 1 ? '' : 's'}, the backend has already started on ${running}; ` +
            'pass threads to the first useBackend("wasm") of the process',
        );
      }
      return;
    }
    if (options.wasmPaths) {
      try {
        wasm.setWasmPaths(options.wasmPaths);
        startedWith = key(options.wasmPaths);
      } catch (err) {
        throw new BackendError(`backend "wasm": cannot set the .wasm file paths: ${(err as Error).message}`, { cause: err });
      }
    }
    if (threads === undefined) return;
    if (!isNode()) {
      // browsers: tfjs takes its threaded build where the page is cross-origin isolated, with this many threads
      wasm.setThreadsCount(threads);
      return;
    }
    if (threads === 1) return; // the single-threaded SIMD build, as without the option
    const started = await startThreadedWasmInNode(threads, wasm.setThreadsCount, () => setBackend('wasm'));
    const running = started ? wasm.getThreadsCount() : 0;
    if (running !== threads) {
      throw new BackendError(`backend "wasm": asked for ${threads} threads, the threaded build ${started ? `runs ${running}` : 'did not start'}`);
    }
  },
});

/**
 * Whether the wasm backend has started. Not tfjs's findBackend: that starts a registered backend that has not, and
 * the setBackend after it starts it a second time (each start fetches the .wasm file again, in pages twice).
 */
function wasmStarted(): boolean {
  return 'wasm' in (engine() as unknown as { registry: Record<string, unknown> }).registry;
}

/**
 * The threads the wasm backend computes on (XNNPACK's thread pool, the calling thread included), once started;
 * undefined before.
 */
export async function wasmThreads(): Promise<number | undefined> {
  if (!wasmStarted()) return undefined;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}

/** The threads to use when none are given: the machine's logical cores, at most MAX_WASM_THREADS. */
export function defaultThreads(): number {
  const cores = isNode()
    ? (process as unknown as { getBuiltinModule(id: string): typeof import('node:os') }).getBuiltinModule('node:os').availableParallelism()
    : (globalThis.navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
}
