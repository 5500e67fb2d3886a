import { engine, type Tensor, type Tensor4D, type NamedTensorMap } from '@tensorflow/tfjs-core';
import { XNOR_CONV2D, type XnorConv2DAttrs } from './xnor_conv2d_impl.js';
import { registerBinaryKernels } from './register_kernels.js';

/** The tensors of a packed binary convolution (see PackedConv2D). */
export interface XnorConv2DWeights {
  /** int32 [outChannels, words]: sign bits packed per filter (packKernel). */
  kernelBits: Tensor;
  /** float32 [outChannels]: the per-filter scale. */
  alpha: Tensor;
  bias?: Tensor;
  /** float32 [inChannels] and int32 [inChannels]: a folded BatchNorm before the sign. */
  threshold?: Tensor;
  negate?: Tensor;
}

/** XNOR convolution (inference only: it has no gradient) on the cpu, wasm and webgpu backends. */
export function xnorConv2d(x: Tensor4D, weights: XnorConv2DWeights, attrs: XnorConv2DAttrs): Tensor4D {
  registerBinaryKernels();
  const inputs: NamedTensorMap = { x, kernelBits: weights.kernelBits, alpha: weights.alpha };
  if (weights.bias) inputs.bias = weights.bias;
  if (weights.threshold && weights.negate) {
    inputs.threshold = weights.threshold;
    inputs.negate = weights.negate;
  }
  return engine().runKernel(XNOR_CONV2D, inputs, attrs as unknown as Record<string, never>) as Tensor4D;
}
