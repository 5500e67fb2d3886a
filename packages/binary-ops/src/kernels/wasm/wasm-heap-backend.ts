import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** The wasm backend allocates a kernel's output on its heap; kernels write their values into that memory once. */
export type WasmHeapBackend = KernelBackend & {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
};
