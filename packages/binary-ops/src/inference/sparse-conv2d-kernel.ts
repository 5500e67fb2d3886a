// The SparseConv2D kernel: conv2d + bias (+ ReLU) for mostly-zero inputs such as a rendered sketch. Each call measures the input's nonzero fraction: up to `maxDensity` it scatters the nonzero values (sparse-conv.ts),
// above it hands the call to the backend's own FusedConv2D kernel, which wins on dense inputs. (The op is
// sparse-conv2d-op.ts, kept apart so that the kernel list imports no op.)
import { getKernel, type KernelBackend, type KernelFunc, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { nonzeroFraction, sparseConvGeometry, type SparseConvGeometry } from '../xnor/sparse-conv.js';

export const SPARSE_CONV2D = 'SparseConv2D';

/**
 * Above this nonzero fraction the dense kernel is used. Measured by bench:kernels ("conv1 crossover": wasm, one
 * thread, 225x225x1, 15x15/3, 64 filters, batch 1): the SIMD scatter was 3.5x faster than XNNPACK at 0.1, 2.9x at
 * 0.15, 1.1x at 0.5, 0.86x at 0.7 and 0.69x on a dense input; rendered sketches are 7-15% nonzero.
 */
export const DEFAULT_MAX_DENSITY = 0.5;

export interface SparseConv2DAttrs {
  strides: [number, number];
  padding: 'same' | 'valid';
  activation: 'linear' | 'relu';
  /** Use the dense kernel when more than this fraction of the input is nonzero (0: always dense, 1: always sparse). */
  maxDensity: number;
  [key: string]: unknown;
}

type ReadableBackend = KernelBackend & { readSync(dataId: object): unknown };

/** How one backend scatters: into an output it allocates, returned as its TensorInfo. */
export type ScatterOnBackend = (
  backend: KernelBackend,
  data: { x: ArrayLike<number>; kernel: ArrayLike<number>; bias?: ArrayLike<number> },
  geometry: SparseConvGeometry,
  relu: boolean,
) => TensorInfo;

/** The kernel function of SparseConv2D on a CPU-memory backend (cpu, wasm), given how that backend scatters. */
export function sparseConv2dKernelFunc(backendName: string, scatter: ScatterOnBackend): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, filter, bias } = inputs as NamedTensorInfoMap;
    const { strides, padding, activation, maxDensity } = attrs as unknown as SparseConv2DAttrs;
    const b = backend as ReadableBackend;
    const xValues = b.readSync(x!.dataId) as Float32Array;
    if (nonzeroFraction(xValues) > maxDensity) {
      const dense = getKernel('FusedConv2D', backendName);
      if (!dense) throw new Error(`SparseConv2D: the ${backendName} backend has no FusedConv2D kernel for dense inputs`);
      return dense.kernelFunc({
        inputs: bias ? { x: x!, filter: filter!, bias } : { x: x!, filter: filter! },
        backend,
        attrs: { strides, pad: padding, dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined, activation, leakyreluAlpha: 0 } as never,
      });
    }
    const geometry = sparseConvGeometry(x!.shape, filter!.shape, strides, padding);
    const data = {
      x: xValues,
      kernel: b.readSync(filter!.dataId) as Float32Array,
      bias: bias ? (b.readSync(bias.dataId) as Float32Array) : undefined,
    };
    return scatter(b, data, geometry, activation === 'relu');
  };
}
