import type { KernelConfig, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { SPARSE_CONV2D, sparseConv2dKernelFunc } from '../../inference/sparse-conv2d-kernel.js';
import { sparseConvKernel } from '../../xnor/sparse-conv.js';

// The output is allocated on the backend's heap and the kernel's result is copied straight into it.
type WasmBackend = KernelBackend & {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
};

export const sparseConv2DWasmConfig: KernelConfig = {
  kernelName: SPARSE_CONV2D,
  backendName: 'wasm',
  kernelFunc: sparseConv2dKernelFunc('wasm', (backend, { x, kernel, bias }, g, relu) => {
    const wasm = backend as WasmBackend;
    const out = wasm.makeOutput([g.n, g.outH, g.outW, g.o], 'float32');
    sparseConvKernel().run(x, kernel, bias, g, relu, wasm.typedArrayFromHeap(out));
    return out;
  }),
};
