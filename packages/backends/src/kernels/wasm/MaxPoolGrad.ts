// The gradient of max pooling on wasm: each output's gradient goes to the first maximum of its window, as in the
// cpu backend. One pass over the windows with the channels innermost (contiguous in NHWC), instead of the wasm
// original's search over every window that covers each input pixel, which took ~5% of a Sketch-A-Net step.
import { backend_util, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { ProjectKernel } from '../project-kernel.js';
import type { WasmBackend } from './kernel-calls.js';

/** Adds each dy to the input position of its window's first maximum; `dx` must be zero on entry. */
export function maxPoolBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let ky = 0; ky < fh; ky += dilationHeight) {
          const iy = oy * strideHeight - top + ky;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < fw; kx += dilationWidth) {
            const ix = ox * strideWidth - left + kx;
            if (ix < 0 || ix >= inWidth) continue;
            const at = ((b * inHeight + iy) * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[at + c]!;
              if (v > best[c]!) {
                best[c] = v;
                bestAt[c] = at + c;
              }
            }
          }
        }
        const dyAt = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) if (bestAt[c]! >= 0) dx[bestAt[c]!]! += dy[dyAt + c]!;
      }
    }
  }
}

export const wasmMaxPoolGrad: ProjectKernel = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  reason: 'the wasm original searches every window covering each input pixel: ~5% of a Sketch-A-Net step',
  create:
    (original: KernelFunc | undefined): KernelFunc =>
    (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
      if (input.dtype !== 'float32') {
        if (!original) throw new Error(`MaxPoolGrad on wasm: no kernel for ${input.dtype}`);
        return original(args);
      }
      const wasm = backend as WasmBackend;
      const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      // allocate first: growing the wasm heap detaches views taken before
      const dx = wasm.makeOutput(input.shape, 'float32');
      const out = wasm.typedArrayFromHeap(dx) as Float32Array;
      out.fill(0);
      maxPoolBackprop(wasm.typedArrayFromHeap(input) as Float32Array, wasm.typedArrayFromHeap(dy) as Float32Array, out, info);
      return dx;
    },
};
