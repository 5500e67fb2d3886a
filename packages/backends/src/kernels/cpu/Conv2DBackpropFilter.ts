// The filter gradient of a 2-D convolution on the cpu backend. tfjs-backend-cpu reads every element through
// TensorBuffer.get(b, y, x, c) in its innermost loop, which makes one training step of Sketch-A-Net take minutes;
// this is the same sum with direct indexing, ordered so the innermost loop runs over contiguous output channels,
// accumulated in float64 like the original. Zero inputs (most of them, after ReLU) are skipped.
import type { backend_util, KernelBackend, KernelFunc, TensorInfo, Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs-core';
import type { ProjectKernel } from '../project-kernel.js';
import { filterGradientInfo } from '../filter-gradient-info.js';

type CpuBackend = KernelBackend & {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
};

function filterGradient(x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const sums = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let wy = 0; wy < filterHeight; wy++) {
    // output rows whose window puts filter row wy inside the input
    const yMin = Math.max(0, Math.ceil((top - wy) / strideHeight));
    const yMax = Math.min(outHeight, Math.ceil((inHeight + top - wy) / strideHeight));
    for (let wx = 0; wx < filterWidth; wx++) {
      const xMin = Math.max(0, Math.ceil((left - wx) / strideWidth));
      const xMax = Math.min(outWidth, Math.ceil((inWidth + left - wx) / strideWidth));
      const tap = (wy * filterWidth + wx) * inChannels;
      for (let b = 0; b < batchSize; b++) {
        for (let oy = yMin; oy < yMax; oy++) {
          const iy = oy * strideHeight + wy - top;
          for (let ox = xMin; ox < xMax; ox++) {
            const ix = ox * strideWidth + wx - left;
            const xOffset = ((b * inHeight + iy) * inWidth + ix) * inChannels;
            const dyOffset = ((b * outHeight + oy) * outWidth + ox) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const xv = x[xOffset + c]!;
              if (xv === 0) continue;
              const row = (tap + c) * outChannels;
              for (let o = 0; o < outChannels; o++) sums[row + o]! += xv * dy[dyOffset + o]!;
            }
          }
        }
      }
    }
  }
  return Float32Array.from(sums);
}

export const cpuConv2DBackpropFilter: ProjectKernel = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'cpu',
  reason: 'the cpu original reads elements through TensorBuffer.get in its inner loop: minutes per Sketch-A-Net step',
  create(original: KernelFunc | undefined): KernelFunc {
    return (args) => {
      const { inputs, backend, attrs } = args;
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { dataFormat, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      if (dataFormat !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
        if (!original) throw new Error(`Conv2DBackpropFilter on cpu: no kernel for ${dataFormat} ${x.dtype}`);
        return original(args);
      }
      const cpu = backend as CpuBackend;
      const info = filterGradientInfo(x, attrs as unknown as Conv2DBackpropFilterAttrs);
      const dw = filterGradient(cpu.data.get(x.dataId).values, cpu.data.get(dy.dataId).values, info);
      return cpu.makeTensorInfo(filterShape as number[], 'float32', dw);
    };
  },
};
