// The one list of binary-ops' own TF.js kernels (one file per kernel and backend), in the way of tfjs-core's
// kernel_registry.ts. Registration is explicit (no import side effect) and idempotent.
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { xnorConv2DCpuConfig } from './cpu/XnorConv2D.js';
import { xnorConv2DWasmConfig } from './wasm/XnorConv2D.js';
import { xnorConv2DWebgpuConfig } from './webgpu/xnor_conv2d.js';
import { sparseConv2DCpuConfig } from './cpu/SparseConv2D.js';
import { sparseConv2DWasmConfig } from './wasm/SparseConv2D.js';

export const binaryKernelConfigs: readonly KernelConfig[] = [xnorConv2DCpuConfig, xnorConv2DWasmConfig, xnorConv2DWebgpuConfig, sparseConv2DCpuConfig, sparseConv2DWasmConfig];

/** Registers every binary-ops kernel not yet registered for its backend. */
export function registerBinaryKernels(): void {
  for (const config of binaryKernelConfigs) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
}
