// The input gradient of a convolution on wasm, two ways, both several times faster than the backend's own loop:
// - stride 1, output about as large as the input: one XNNPACK convolution of dy, padded "fully", with the filter
//   rotated by 180 degrees and its in/out axes swapped;
// - strided, or a filter that covers most of the input (fc6 as a 7x7 conv: the full padding would multiply mostly
//   zeros): one matrix product dy [N*outH*outW, outC] x W^T [outC, fh*fw*inC], scattered back to pixels (col2im).
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
  const a = callWasmKernel('Reshape', b, { x: dy }, { shape: [1, rows, o] });
  const wm = callWasmKernel('Reshape', b, { x: filter }, { shape: [1, k, o] });
  const cols = callWasmKernel('BatchMatMul', b, { a, b: wm }, { transposeA: false, transposeB: true });
  const colValues = b.readSync(cols.dataId) as Float32Array;
  const dx = b.makeOutput([n, h, w, c], 'float32');
  const out = b.typedArrayFromHeap(dx) as Float32Array;
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
  dispose(b, a, wm, cols);
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
