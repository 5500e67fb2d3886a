// XnorConv2D on the webgpu backend: two WGSL compute programs run through the backend's own program API
// (runWebGPUProgram, so buffers, uniforms and pipeline caching are tfjs's). The first packs the input's signs
// (or a folded BatchNorm's threshold test) into u32 words, 32 channels each, pixel by pixel, as the cpu kernel
// does; the second gives one output per thread: for every kernel pixel and word, countOneBits(x ^ w) counts the
// sign disagreements, and the +-1 dot product is length - 2 * disagreements, then scaled by alpha plus bias.
// Both operands hold zeros beyond the last channel, so the unused bits never disagree. Nothing here imports
// tfjs-backend-webgpu: the backend instance comes with each call.
import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { convAxis } from '../../xnor/xnor-conv.js';
import { XNOR_CONV2D, type XnorConv2DAttrs } from '../xnor_conv2d_impl.js';

/** The part of tfjs-backend-webgpu's WebGPUProgram these programs fill in. */
interface Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size: boolean;
  uniforms: string;
  getUserCode(): string;
}

type Uniform = { type: 'int32'; data: number[] };

interface WebGpuBackend {
  runWebGPUProgram(program: Program, inputs: TensorInfo[], outputDtype: 'float32' | 'int32', uniforms: Uniform[]): TensorInfo;
  disposeData(dataId: object): void;
}

const WORKGROUP: [number, number, number] = [64, 1, 1];

/** Scalar i32 uniforms, one entry each (tfjs aligns every entry by its length), in the order the program declares them. */
const ints = (...values: number[]): Uniform[] => values.map((value) => ({ type: 'int32', data: [value] }));

/** One thread per output element, numbered flat (what tfjs calls a flat dispatch layout). */
function flat(outputShape: number[]): Pick<Program, 'outputShape' | 'dispatchLayout' | 'dispatch' | 'workgroupSize' | 'size'> {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP[0]), 1, 1],
    workgroupSize: WORKGROUP,
    size: true,
  };
}

/**
 * A folded BatchNorm's test. A zero BatchNorm scale folds into an infinite threshold (always +1 or always -1), and
 * WGSL compilers may assume floats are finite, so infinities are told apart by their bits.
 */
const FOLDED_SIGN = `
        let t = threshold[channel];
        let bits = bitcast<u32>(t);
        let infinite = (bits & 0x7fffffffu) == 0x7f800000u;
        let below = select(value < t, bits == 0x7f800000u, infinite);
        let above = select(value > t, bits == 0xff800000u, infinite);
        return select(below, above, negate[channel] != 0);`;

/** x [pixels * channels] -> int32 [pixels, words]: bit k of word q is set where channel 32q + k counts as -1. */
function packSignsProgram(pixels: number, words: number, folded: boolean): Program {
  return {
    ...flat([pixels, words]),
    shaderKey: `xnorPackSigns_${folded}`,
    variableNames: folded ? ['x', 'threshold', 'negate'] : ['x'],
    uniforms: 'channels : i32, words : i32,',
    getUserCode: () => `
      fn isNegative(value : f32, channel : i32) -> bool {
        ${folded ? FOLDED_SIGN : 'return value < 0.0;'}
      }
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let pixel = index / uniforms.words;
        let first = (index % uniforms.words) * 32;
        let count = min(32, uniforms.channels - first);
        var word = 0u;
        for (var k = 0; k < count; k++) {
          if (isNegative(x[pixel * uniforms.channels + first + k], first + k)) { word = word | (1u << u32(k)); }
        }
        result[index] = bitcast<i32>(word);
      }`,
  };
}

/** Packed input words and packed kernel rows -> float32 [n, outH, outW, outChannels]. */
function xnorConvProgram(outputShape: number[], hasBias: boolean): Program {
  return {
    ...flat(outputShape),
    shaderKey: `xnorConv2d_${hasBias}`,
    variableNames: hasBias ? ['xBits', 'kernelBits', 'alpha', 'bias'] : ['xBits', 'kernelBits', 'alpha'],
    uniforms:
      'inHeight : i32, inWidth : i32, channels : i32, words : i32, kernelHeight : i32, kernelWidth : i32, ' +
      'strideY : i32, strideX : i32, padTop : i32, padLeft : i32, rowWords : i32, padNegative : i32,',
    getUserCode: () => `
      // the words of a padded pixel: all channel bits set where padding is -1, none where it is +1
      fn padWord(q : i32) -> u32 {
        if (uniforms.padNegative == 0) { return 0u; }
        let remaining = uniforms.channels - q * 32;
        return select((1u << u32(remaining)) - 1u, 0xffffffffu, remaining >= 32);
      }
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let coords = getCoordsFromIndex(index); // batch, row, column, filter
        let words = uniforms.words;
        var disagreements = 0u;
        for (var ky = 0; ky < uniforms.kernelHeight; ky++) {
          let iy = coords[1] * uniforms.strideY + ky - uniforms.padTop;
          for (var kx = 0; kx < uniforms.kernelWidth; kx++) {
            let ix = coords[2] * uniforms.strideX + kx - uniforms.padLeft;
            let inside = iy >= 0 && iy < uniforms.inHeight && ix >= 0 && ix < uniforms.inWidth;
            let pixel = ((coords[0] * uniforms.inHeight + iy) * uniforms.inWidth + ix) * words;
            let kernelWord = coords[3] * uniforms.rowWords + (ky * uniforms.kernelWidth + kx) * words;
            for (var q = 0; q < words; q++) {
              var xWord = padWord(q);
              if (inside) { xWord = bitcast<u32>(xBits[pixel + q]); }
              disagreements = disagreements + countOneBits(xWord ^ bitcast<u32>(kernelBits[kernelWord + q]));
            }
          }
        }
        let length = uniforms.kernelHeight * uniforms.kernelWidth * uniforms.channels;
        let dot = f32(length - 2 * i32(disagreements));
        result[index] = dot * alpha[coords[3]]${hasBias ? ' + bias[coords[3]]' : ''};
      }`,
  };
}

const xnorConv2dWebgpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const named = inputs as NamedTensorInfoMap;
  const gpu = backend as unknown as WebGpuBackend;
  const { kh, kw, inChannels, strides, padding, padValue } = attrs as unknown as XnorConv2DAttrs;
  const x = named.x!;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (c !== inChannels) throw new RangeError(`xnorConv2d: input has ${c} channels, kernel expects ${inChannels}`);
  const rows = convAxis(h, kh, strides[0], padding);
  const cols = convAxis(w, kw, strides[1], padding);
  if (rows.out <= 0 || cols.out <= 0) throw new RangeError(`xnorConv2d: a ${h}x${w} input is smaller than the ${kh}x${kw} kernel`);
  const words = Math.ceil(c / 32);
  const folded = !!(named.threshold && named.negate);

  const packed = gpu.runWebGPUProgram(
    packSignsProgram(n * h * w, words, folded),
    folded ? [x, named.threshold!, named.negate!] : [x],
    'int32',
    ints(c, words),
  );
  const kernelBits = named.kernelBits!;
  const outChannels = named.alpha!.shape[0]!;
  try {
    return gpu.runWebGPUProgram(
      xnorConvProgram([n, rows.out, cols.out, outChannels], !!named.bias),
      named.bias ? [packed, kernelBits, named.alpha!, named.bias] : [packed, kernelBits, named.alpha!],
      'float32',
      ints(h, w, c, words, kh, kw, strides[0], strides[1], rows.padBefore, cols.padBefore, kernelBits.shape[1]!, padValue === -1 ? 1 : 0),
    );
  } finally {
    gpu.disposeData(packed.dataId);
  }
};

export const xnorConv2DWebgpuConfig: KernelConfig = { kernelName: XNOR_CONV2D, backendName: 'webgpu', kernelFunc: xnorConv2dWebgpu };
