// The filter gradient of a 2-D convolution on wasm, which @tensorflow/tfjs-backend-wasm lacks. It is itself a
// convolution: with batch and channel axes swapped, x^T [inC, H, W, N] convolved with dy^T [outH, outW, N, outC]
// at a dilation equal to the forward stride gives dW^T [inC, fh, fw, outC].
import type { KernelBackend, TensorInfo, Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs-core';
import { filterGradientInfo } from '../filter-gradient-info.js';
import type { ProjectKernel } from '../project-kernel.js';
import { callWasmKernel, dispose, transpose } from './kernel-calls.js';

export const wasmConv2DBackpropFilter: ProjectKernel = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  reason: 'missing from @tensorflow/tfjs-backend-wasm: without it nothing trains on wasm',
  create: () => ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { dataFormat } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
    const b = backend as KernelBackend;
    const info = filterGradientInfo(x, attrs as unknown as Conv2DBackpropFilterAttrs);
    const [fh, fw] = [info.filterHeight, info.filterWidth];
    const { top, left } = info.padInfo;
    // rows the forward pass reached: (outH - 1) * stride + fh, starting `top` rows above the input
    const bottom = fh + (info.outHeight - 1) * info.strideHeight - info.inHeight - top;
    const right = fw + (info.outWidth - 1) * info.strideWidth - info.inWidth - left;

    let xs = x;
    const temps: TensorInfo[] = [];
    if (bottom < 0 || right < 0) {
      // stride left trailing rows/columns unused: crop them so the explicit padding is non-negative
      xs = callWasmKernel('Slice', b, { x }, {
        begin: [0, 0, 0, 0],
        size: [x.shape[0]!, x.shape[1]! + Math.min(bottom, 0), x.shape[2]! + Math.min(right, 0), x.shape[3]!],
      });
      temps.push(xs);
    }
    const xT = transpose(b, xs, [3, 1, 2, 0]);
    const dyT = transpose(b, dy, [1, 2, 0, 3]);
    const dwT = callWasmKernel('Conv2D', b, { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, Math.max(bottom, 0)],
        [left, Math.max(right, 0)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: undefined,
    } as never);
    const dw = transpose(b, dwT, [1, 2, 0, 3]);
    dispose(b, xT, dyT, dwT, ...temps);
    return dw;
  },
};
