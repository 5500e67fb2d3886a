// The input gradient of a convolution on wasm, two ways, both several times faster than the backend's own loop:
// - stride 1, output about as large as the input: one XNNPACK convolution of dy, padded "fully", with the filter
//   rotated by 180 degrees and its in/out axes swapped;
// - strided, or a filter that covers most of the input (fc6 as a 7x7 conv: the full padding would multiply mostly
//   zeros): one matrix product dy [N*outH*outW, outC] x W^T [outC, fh*fw*inC], scattered back to pixels (col2im).
//   The product runs as an XNNPACK 1x1 convolution with the filter as the image and dy as the (small) filter:
//   XNNPACK repacks its filter operand on every call, and BatchMatMul with a transposed operand is slow, so this
//   way round is ~8x faster for fc6.
import { backend_util, type KernelBackend, type KernelFunc, type TensorInfo, type Conv2DBackpropInputAttrs } from '@tensorflow/tfjs-core';
import type { ProjectKernel } from '../project-kernel.js';
import { callWasmKernel, dispose, transpose, type WasmBackend } from './kernel-calls.js';

function matMulCol2Im(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const b = backend as WasmBackend;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sy, strideWidth: sx } = info;
  const { top, left } = info.padInfo;
  const rows = n * oh * ow;
  const k = fh * fw * c;
  // filter [fh, fw, c, o] as an image of k pixels with o channels; dy^T [o, rows] as a 1x1 filter
  const image = callWasmKernel('Reshape', b, { x: filter }, { shape: [1, 1, k, o] });
  const dyRows = callWasmKernel('Reshape', b, { x: dy }, { shape: [rows, o] });
  const dyT = transpose(b, dyRows, [1, 0]);
  const dyFilter = callWasmKernel('Reshape', b, { x: dyT }, { shape: [1, 1, o, rows] });
  const colsT = callWasmKernel('Conv2D', b, { x: image, filter: dyFilter }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined,
  } as never);
  const colsTRows = callWasmKernel('Reshape', b, { x: colsT }, { shape: [k, rows] });
  const cols = transpose(b, colsTRows, [1, 0]); // [rows, k]
  // allocate first: growing the wasm heap detaches views taken before
  const dx = b.makeOutput([n, h, w, c], 'float32');
  const out = b.typedArrayFromHeap(dx) as Float32Array;
  const colValues = b.typedArrayFromHeap(cols) as Float32Array;
  out.fill(0);
  let row = 0;
  for (let bi = 0; bi < n; bi++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, row++) {
        let src = row * k;
        for (let ky = 0; ky < fh; ky++) {
          const iy = oy * sy + ky - top;
          if (iy < 0 || iy >= h) {
            src += fw * c;
            continue;
          }
          for (let kx = 0; kx < fw; kx++, src += c) {
            const ix = ox * sx + kx - left;
            if (ix < 0 || ix >= w) continue;
            const dst = ((bi * h + iy) * w + ix) * c;
            for (let ci = 0; ci < c; ci++) out[dst + ci]! += colValues[src + ci]!;
          }
        }
      }
    }
  }
  dispose(b, image, dyRows, dyT, dyFilter, colsT, colsTRows, cols);
  return dx;
}

export const wasmConv2DBackpropInput: ProjectKernel = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  reason: 'the wasm original is a plain scalar loop, several times slower than these XNNPACK-based forms',
  create: (fallback: KernelFunc | undefined): KernelFunc => (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(
      inputShape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    if (dataFormat !== 'NHWC') {
      if (!fallback) throw new Error('Conv2DBackpropInput on wasm: NCHW gradients need the backend kernel');
      return fallback(args);
    }
    const b = backend as KernelBackend;
    const strided = info.strideHeight !== 1 || info.strideWidth !== 1;
    if (strided || info.inHeight * info.inWidth > 2 * info.outHeight * info.outWidth) return matMulCol2Im(b, dy, filter, info);
    const [fh, fw] = [info.filterHeight, info.filterWidth];
    const padTop = fh - 1 - info.padInfo.top;
    const padLeft = fw - 1 - info.padInfo.left;
    const padBottom = info.inHeight - info.outHeight - padTop + fh - 1;
    const padRight = info.inWidth - info.outWidth - padLeft + fw - 1;
    // [fh, fw, in, out] -> rotated [fh, fw, out, in]
    const swapped = transpose(b, filter, [0, 1, 3, 2]);
    const rotated = callWasmKernel('Reverse', b, { x: swapped }, { dims: [0, 1] });
    const dx = callWasmKernel('Conv2D', b, { x: dy, filter: rotated }, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined,
    } as never);
    dispose(b, swapped, rotated);
    return dx;
  },
};
