// Multithreaded tfjs-backend-wasm in Node. tfjs ships a threaded SIMD build (XNNPACK parallelizes convolutions and
// matrix products over a pthreadpool) but keeps it off in Node (tfjs issue 3830) for three reasons, each handled here
// for the duration of the backend's start only (every global touched is put back once it has started):
// 1. its flag WASM_HAS_MULTITHREAD_SUPPORT answers false in Node: set to true;
// 2. its Emscripten pthread workers are created from a `blob:` URL, which Node's worker_threads refuses
//    (ERR_WORKER_PATH): `URL.createObjectURL` answers a `data:` URL instead, holding a small ES module that sets up
//    what the worker script expects of Node (require, __filename) and runs tfjs's own worker script. The worker then
//    asks for the main script through another `blob:` URL, which it reads as a file: there it answers the file path
//    of the same Emscripten module on disk;
// 3. the build caps its thread pool at half the logical cores it is told about (Node: `os.cpus().length / 2`,
//    1 on a 2-core machine): `os.cpus()` reports twice the requested threads while the module starts.
// Once started, the pool's workers are unreferenced, so that they do not keep the process alive.
// Nothing here is imported outside Node, and nothing native is needed.
import { env, findBackend } from '@tensorflow/tfjs-core';
import type * as NodeModule from 'node:module';
import type * as NodeOs from 'node:os';

/** The most threads tfjs-backend-wasm 4.22's threaded build runs (its pthread pool holds 8 workers; it caps at 8). */
export const MAX_WASM_THREADS = 8;

const WORKER_BLOB_TYPE = 'application/javascript'; // what tfjs-backend-wasm gives its worker script's Blob
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

function builtin<T>(name: string): T {
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (!get) throw new Error(`process.getBuiltinModule is missing (Node >= 20.16 needed for wasm threads)`);
  return get(name) as T;
}

/** The `data:` URL of the ES module each pthread worker starts from. */
function workerUrl(): URL {
  const { createRequire } = builtin<typeof NodeModule>('node:module');
  const require = createRequire(import.meta.url);
  const mainScript = require.resolve(`${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.js`);
  const { wasmWorkerContents } = require(`${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) as {
    wasmWorkerContents: string;
  };
  // The script is one line whose only newline sits inside a string literal (tfjs escapes it the same way).
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const source = [
    `import { createRequire } from 'node:module';`,
    `const require = createRequire(${JSON.stringify(mainScript)});`,
    `const __filename = ${JSON.stringify(mainScript)};`,
    // the worker turns the main script's Blob into a URL and reads that as a file: give it the file itself
    `URL.createObjectURL = () => ${JSON.stringify(mainScript)};`,
    `URL.revokeObjectURL = () => {};`,
    // a direct eval, so the script sees require and __filename above
    `eval(${JSON.stringify(script)});`,
  ].join('\n');
  return new URL(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
}

/**
 * Runs `start` (which initializes the wasm backend) with the threaded build enabled in Node for `threads` threads.
 * `setThreadsCount` is tfjs-backend-wasm's own setter, called before the start.
 */
export async function startThreadedWasmInNode<T>(threads: number, setThreadsCount: (n: number) => void, start: () => Promise<T>): Promise<T> {
  const os = builtin<typeof NodeOs>('node:os');
  const url = workerUrl();
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  const flag = 'WASM_HAS_MULTITHREAD_SUPPORT';
  env().set(flag, true);
  setThreadsCount(threads);
  URL.createObjectURL = ((obj: Blob) =>
    obj instanceof Blob && obj.type === WORKER_BLOB_TYPE ? (url as unknown as string) : createObjectURL(obj)) as typeof URL.createObjectURL;
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: Math.max(real.length, 2 * threads) }, (_, i) => real[i % real.length]!);
  };
  try {
    const started = await start();
    // Emscripten keeps a worker that runs a thread referenced, and XNNPACK's pool threads never end: without this
    // the process would not exit when its work is done
    const module = (findBackend('wasm') as unknown as { wasm?: { PThread?: { runningWorkers: { unref(): void }[] } } } | null)?.wasm;
    for (const worker of module?.PThread?.runningWorkers ?? []) worker.unref();
    return started;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
    // back to tfjs's own answer in Node, so a later start without these shims does not take the threaded build
    env().set(flag, false);
  }
}
