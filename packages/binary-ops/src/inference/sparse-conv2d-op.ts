// sparseConv2d: the op over the SparseConv2D kernel (sparse-conv2d-kernel.ts), registered on first use.
import { engine, fused, getBackend, getKernel, type NamedTensorMap, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { sparseConvGeometry } from '../xnor/sparse-conv.js';
import { registerBinaryKernels } from '../kernels/register_kernels.js';
import { DEFAULT_MAX_DENSITY, SPARSE_CONV2D, type SparseConv2DAttrs } from './sparse-conv2d-kernel.js';

/**
 * Inference only (no gradient): conv2d(x, filter) + bias, then ReLU when asked, fast on sparse inputs (cpu and
 * wasm kernels; other backends run their dense fused convolution).
 */
export function sparseConv2d(
  x: Tensor4D,
  filter: Tensor4D,
  bias: Tensor | undefined,
  attrs: Partial<SparseConv2DAttrs> & Pick<SparseConv2DAttrs, 'strides' | 'padding'>,
): Tensor4D {
  registerBinaryKernels();
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') throw new TypeError(`sparseConv2d: float32 input and kernel expected, got ${x.dtype} and ${filter.dtype}`);
  sparseConvGeometry(x.shape, filter.shape, attrs.strides, attrs.padding); // shape errors before the kernel runs
  if (bias && bias.size !== filter.shape[3]) throw new RangeError(`sparseConv2d: ${bias.size} biases for ${filter.shape[3]} filters`);
  const full: SparseConv2DAttrs = { activation: 'linear', maxDensity: DEFAULT_MAX_DENSITY, ...attrs };
  if (full.activation !== 'linear' && full.activation !== 'relu') throw new Error(`sparseConv2d: activation must be 'linear' or 'relu', got ${String(full.activation)}`);
  if (!getKernel(SPARSE_CONV2D, getBackend())) {
    // a backend without the kernel (webgpu, webgl) runs the dense convolution: same result, its own speed
    return fused.conv2d({ x, filter, bias, strides: full.strides, pad: full.padding, activation: full.activation });
  }
  const inputs: NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  return engine().runKernel(SPARSE_CONV2D, inputs, full as unknown as Record<string, never>) as Tensor4D;
}
