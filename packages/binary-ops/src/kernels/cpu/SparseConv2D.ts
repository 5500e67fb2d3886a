import type { KernelConfig, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { SPARSE_CONV2D, sparseConv2dKernelFunc } from '../../inference/sparse-conv2d-kernel.js';
import { scatterConv2d } from '../../xnor/sparse-conv.js';

type CpuBackend = KernelBackend & { makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo };

export const sparseConv2DCpuConfig: KernelConfig = {
  kernelName: SPARSE_CONV2D,
  backendName: 'cpu',
  kernelFunc: sparseConv2dKernelFunc('cpu', (backend, { x, kernel, bias }, g, relu) =>
    (backend as CpuBackend).makeTensorInfo([g.n, g.outH, g.outW, g.o], 'float32', scatterConv2d(x, kernel, bias, g, relu)),
  ),
};
