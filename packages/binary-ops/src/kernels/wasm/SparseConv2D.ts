import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap-backend.js';
import { SPARSE_CONV2D, sparseConv2dKernelFunc } from '../../inference/sparse-conv2d-kernel.js';
import { sparseConvKernel } from '../../xnor/sparse-conv.js';

export const sparseConv2DWasmConfig: KernelConfig = {
  kernelName: SPARSE_CONV2D,
  backendName: 'wasm',
  kernelFunc: sparseConv2dKernelFunc('wasm', (backend, { x, kernel, bias }, g, relu) => {
    const wasm = backend as WasmHeapBackend;
    const out = wasm.makeOutput([g.n, g.outH, g.outW, g.o], 'float32');
    sparseConvKernel().run(x, kernel, bias, g, relu, wasm.typedArrayFromHeap(out));
    return out;
  }),
};
