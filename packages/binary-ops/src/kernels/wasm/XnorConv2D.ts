import type { KernelConfig, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { XNOR_CONV2D } from '../xnor_conv2d_impl.js';
import { xnorConv2dKernelFunc } from '../kernel_io.js';

// The wasm backend allocates outputs on its heap; the values are copied in once.
type WasmBackend = KernelBackend & {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
};

export const xnorConv2DWasmConfig: KernelConfig = {
  kernelName: XNOR_CONV2D,
  backendName: 'wasm',
  kernelFunc: xnorConv2dKernelFunc((backend, shape, values) => {
    const wasm = backend as WasmBackend;
    const out = wasm.makeOutput(shape, 'float32');
    wasm.typedArrayFromHeap(out).set(values);
    return out;
  }),
};
