// Public face of @sketch-xnor/binary-ops: binarization schemes (quantizers) as plugins with their surrogate
// gradients, and the quantized TF.js layers that use them.
export {
  registerQuantizer,
  getQuantizer,
  listQuantizers,
  unregisterQuantizer,
  quantizerFactory,
  isQuantizer,
  type Quantizer,
  type QuantizerConfig,
  type QuantizerSpec,
  type QuantizerClass,
  type QuantizerDefinition,
} from './quantizer.js';
export {
  readOptions,
  positiveNumber,
  integerBetween,
  oneOf,
  QuantizerConfigError,
  type OptionRule,
  type OptionRules,
  type OptionValues,
} from './options.js';
export { signPlusOne, steSign, straightThroughMask, signWithSurrogateGradient } from './sign.js';
export { SteSign } from './quantizers/ste-sign.js';
export { ApproxSign } from './quantizers/approx-sign.js';
export { MagnitudeAwareSign, filterMeanMagnitude, MAGNITUDE_AWARE_GRADIENTS, type MagnitudeAwareGradient } from './quantizers/magnitude-aware-sign.js';
export { XnorInput, xnorInputScale, type XnorInputScaleOptions } from './quantizers/xnor-input.js';
export { DoReFa, quantizeUnit } from './quantizers/dorefa.js';
export { QuantConv2D, type QuantConv2DArgs } from './layers/quant-conv2d.js';
export { QuantDense, type QuantDenseArgs } from './layers/quant-dense.js';
export { clipLatentWeights } from './layers/clip-latent-weights.js';
export { hasLatentClipping, type LatentClipping, type QuantizedLayerArgs } from './layers/quantized-layer.js';
// 1-bit inference: sign packing, the XNOR-popcount GEMM (WebAssembly SIMD, scalar fallback), XNOR convolution as a
// TF.js kernel, and the packed layer that a bundle loads.
export { packSignRows, unpackSignRows, groupsFor, type PackedSigns } from './xnor/pack.js';
export { xnorGemmKernel, hasWasmSimd, type XnorGemmKernel } from './xnor/xnor-gemm.js';
export {
  packKernel,
  xnorConv2dCounts,
  xnorConv2dScaled,
  scaleCounts,
  convAxis,
  foldBatchNormIntoSign,
  type PackedKernel,
  type ConvGeometry,
  type SignThresholds,
} from './xnor/xnor-conv.js';
export { xnorConv2d, type XnorConv2DWeights } from './kernels/xnor_conv2d_op.js';
export { registerBinaryKernels, binaryKernelConfigs } from './kernels/register_kernels.js';
export type { XnorConv2DAttrs } from './kernels/xnor_conv2d_impl.js';
export { PackedConv2D, packedWordsPerFilter, type PackedConv2DArgs } from './inference/packed-conv2d.js';
export { packModel, type PackReport, type PackOptions } from './inference/pack-model.js';
// Sparse float convolution for a sketch's first layer: scatter over nonzero pixels (WebAssembly SIMD, scalar, and
// TypeScript for cpu), a TF.js kernel with a dense fallback, and the bundle layer that uses it.
export { scatterConv2d, sparseConvKernel, sparseConvGeometry, nonzeroFraction, type SparseConvKernel, type SparseConvGeometry } from './xnor/sparse-conv.js';
export { sparseConv2d } from './inference/sparse-conv2d-op.js';
export { DEFAULT_MAX_DENSITY, type SparseConv2DAttrs } from './inference/sparse-conv2d-kernel.js';
export { SparseConv2D, type SparseConv2DArgs } from './inference/sparse-conv2d.js';
