// Child process of wasm-threads.test.ts: starts wasm on THREADS threads (this is once per process), computes the
// cases and prints one JSON line: the threads the backend reports and every result as base64 float32 bytes.
import { useBackend, wasmThreads } from '../../src/index.js';
import { kernelResults, trainedWeights } from './cases.js';

const threads = Number(process.env.THREADS);
await useBackend('wasm', { threads });
const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const kernels = Object.fromEntries(Object.entries(kernelResults()).map(([k, v]) => [k, b64(v)]));
const weights = trainedWeights().map(b64);
process.stdout.write(`${JSON.stringify({ threads: await wasmThreads(), kernels, weights })}\n`);
