import type { KernelConfig, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { XNOR_CONV2D } from '../xnor_conv2d_impl.js';
import { xnorConv2dKernelFunc } from '../kernel_io.js';

type CpuBackend = KernelBackend & { makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo };

export const xnorConv2DCpuConfig: KernelConfig = {
  kernelName: XNOR_CONV2D,
  backendName: 'cpu',
  kernelFunc: xnorConv2dKernelFunc((backend, shape, values) => (backend as CpuBackend).makeTensorInfo(shape, 'float32', values)),
};
