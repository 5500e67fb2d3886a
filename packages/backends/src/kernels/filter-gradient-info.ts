// The convolution geometry a filter-gradient kernel (Conv2DBackpropFilter) works from, in one place for every backend.
import { backend_util, type Conv2DBackpropFilterAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

export function filterGradientInfo(x: TensorInfo, attrs: Conv2DBackpropFilterAttrs): backend_util.Conv2DInfo {
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  // the gradient of a dilated convolution is not defined in TF.js, so the dilation is always 1
  return backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
}
