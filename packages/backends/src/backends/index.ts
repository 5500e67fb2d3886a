// The one list of built-in backends (one file per backend).
import { wasmBackend } from './wasm.js';
import { cpuBackend } from './cpu.js';
import { tensorflowBackend, tensorflowGpuBackend } from './tensorflow.js';
import { webgpuBackend } from './webgpu.js';
import { webglBackend } from './webgl.js';

export const builtinBackends = [wasmBackend, cpuBackend, tensorflowBackend, tensorflowGpuBackend, webgpuBackend, webglBackend];
