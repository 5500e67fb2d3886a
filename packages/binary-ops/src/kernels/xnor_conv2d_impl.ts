// The backend-independent body of the XnorConv2D kernel: typed arrays in, typed arrays out.
import type { PackedKernel, SignThresholds } from '../xnor/xnor-conv.js';
import { xnorConv2dScaled } from '../xnor/xnor-conv.js';

export const XNOR_CONV2D = 'XnorConv2D';

/** Attributes of an XnorConv2D kernel call. */
export interface XnorConv2DAttrs {
  kh: number;
  kw: number;
  inChannels: number;
  strides: [number, number];
  padding: 'same' | 'valid';
  padValue: 1 | -1;
  [key: string]: unknown;
}

export interface XnorConv2DData {
  x: ArrayLike<number>;
  xShape: number[];
  kernelBits: Int32Array;
  alpha: ArrayLike<number>;
  bias?: ArrayLike<number>;
  threshold?: ArrayLike<number>;
  negate?: ArrayLike<number>;
}

export function xnorConv2dImpl(data: XnorConv2DData, attrs: XnorConv2DAttrs): { values: Float32Array; shape: number[] } {
  const { kh, kw, inChannels } = attrs;
  const outChannels = data.alpha.length;
  const rowLength = kh * kw * inChannels;
  const words = data.kernelBits.length / outChannels;
  const kernel: PackedKernel = {
    kh,
    kw,
    inChannels,
    outChannels,
    rows: {
      bits: new Uint32Array(data.kernelBits.buffer, data.kernelBits.byteOffset, data.kernelBits.length),
      rows: outChannels,
      length: rowLength,
      groups: words / 4,
    },
  };
  let thresholds: SignThresholds | undefined;
  if (data.threshold && data.negate) {
    thresholds = { threshold: Float32Array.from(data.threshold), negate: Uint8Array.from(data.negate) };
  }
  const { values, outShape } = xnorConv2dScaled(data.x, data.xShape as [number, number, number, number], kernel, {
    strides: attrs.strides,
    padding: attrs.padding,
    padValue: attrs.padValue,
    thresholds,
  }, Float32Array.from(data.alpha), data.bias && Float32Array.from(data.bias));
  return { values, shape: outShape };
}
