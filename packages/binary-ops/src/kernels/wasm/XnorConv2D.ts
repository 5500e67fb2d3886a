import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap-backend.js';
import { XNOR_CONV2D } from '../xnor_conv2d_impl.js';
import { xnorConv2dKernelFunc } from '../kernel_io.js';

export const xnorConv2DWasmConfig: KernelConfig = {
  kernelName: XNOR_CONV2D,
  backendName: 'wasm',
  kernelFunc: xnorConv2dKernelFunc((backend, shape, values) => {
    const wasm = backend as WasmHeapBackend;
    const out = wasm.makeOutput(shape, 'float32');
    wasm.typedArrayFromHeap(out).set(values);
    return out;
  }),
};
