// The filter gradient of a 2-D convolution on webgpu as a tiled implicit GEMM with split-K. tfjs-backend-webgpu's
// own kernel gives one thread per filter weight, each summing over batch x output pixels: for Sketch-A-Net's conv1
// at batch 64 that is 14,400 threads of 341,000 multiply-adds each, far too few threads for a GPU. Here
// dW[m, n] = sum_r A[m, r] * dy[r, n], with m = (filter row, column, in channel), n = out channel and
// r = (image, output row, output column); A is read straight from x (im2col never materialized). A 16x16 workgroup
// computes a 64x64 tile of dW (4x4 per thread) from 16-deep slices of A and dy staged in workgroup memory; the
// reduction is split into chunks (the z dispatch) so that small filters still fill the GPU, and a second program
// sums the chunks' partial tiles.
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { filterGradientInfo } from '../filter-gradient-info.js';
import type { ProjectKernel } from '../project-kernel.js';
import { intUniforms, type WebGpuProgram, type WebGpuProgramRunner } from './webgpu-program.js';

const TILE = 64;
const DEPTH = 16;
/** Workgroups worth aiming for before splitting the reduction stops paying (a few per compute unit). */
const TARGET_WORKGROUPS = 512;

function partialTilesProgram(splits: number, rows: number, cols: number): WebGpuProgram {
  return {
    outputShape: [splits, rows, cols],
    shaderKey: 'sketchXnorConv2DFilterTiles',
    dispatchLayout: { x: [2], y: [1], z: [0] },
    dispatch: [Math.ceil(cols / TILE), Math.ceil(rows / TILE), splits],
    workgroupSize: [16, 16, 1],
    variableNames: ['x', 'dy'],
    uniforms:
      'rows : i32, cols : i32, inChannels : i32, filterWidth : i32, outHeight : i32, outWidth : i32, inHeight : i32, ' +
      'inWidth : i32, strideY : i32, strideX : i32, padTop : i32, padLeft : i32, reduceSize : i32, chunk : i32,',
    getUserCode: () => `
      var<workgroup> aTile : array<array<f32, ${TILE}>, ${DEPTH}>;
      var<workgroup> bTile : array<array<f32, ${TILE}>, ${DEPTH}>;
      var<workgroup> chunkBounds : vec2<i32>;

      // A[m, r]: the x value that filter element m met at output position r (0 in the padding)
      fn loadA(m : i32, r : i32, end : i32) -> f32 {
        if (m >= uniforms.rows || r >= end) { return 0.0; }
        let d1 = m % uniforms.inChannels;
        let t = m / uniforms.inChannels;
        let wC = t % uniforms.filterWidth;
        let wR = t / uniforms.filterWidth;
        let yC = r % uniforms.outWidth;
        let s = r / uniforms.outWidth;
        let yR = s % uniforms.outHeight;
        let b = s / uniforms.outHeight;
        let xR = yR * uniforms.strideY - uniforms.padTop + wR;
        let xC = yC * uniforms.strideX - uniforms.padLeft + wC;
        if (xR < 0 || xR >= uniforms.inHeight || xC < 0 || xC >= uniforms.inWidth) { return 0.0; }
        return x[((b * uniforms.inHeight + xR) * uniforms.inWidth + xC) * uniforms.inChannels + d1];
      }

      fn loadB(r : i32, n : i32, end : i32) -> f32 {
        if (n >= uniforms.cols || r >= end) { return 0.0; }
        return dy[r * uniforms.cols + n];
      }

      fn main() {
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let thread = ty * 16 + tx;
        let n0 = i32(workgroupId.x) * ${TILE};
        let m0 = i32(workgroupId.y) * ${TILE};
        let split = i32(workgroupId.z);
        // the loop around workgroupBarrier must be provably uniform: tfjs hands workgroupId over in a private
        // variable, which WGSL's analysis treats as varying, so the bounds go through workgroupUniformLoad
        if (thread == 0) {
          let first = split * uniforms.chunk;
          chunkBounds = vec2<i32>(first, min(first + uniforms.chunk, uniforms.reduceSize));
        }
        let bounds = workgroupUniformLoad(&chunkBounds);
        let begin = bounds.x;
        let end = bounds.y;
        var acc : array<array<f32, 4>, 4>;
        for (var r0 = begin; r0 < end; r0 = r0 + ${DEPTH}) {
          // 256 threads stage 16 x 64 values of each operand, 4 each; neighbouring threads read neighbouring channels
          for (var i = 0; i < 4; i = i + 1) {
            let e = thread + i * 256;
            let k = e / ${TILE};
            let j = e % ${TILE};
            aTile[k][j] = loadA(m0 + j, r0 + k, end);
            bTile[k][j] = loadB(r0 + k, n0 + j, end);
          }
          workgroupBarrier();
          for (var k = 0; k < ${DEPTH}; k = k + 1) {
            var a : array<f32, 4>;
            var b : array<f32, 4>;
            for (var i = 0; i < 4; i = i + 1) {
              a[i] = aTile[k][ty * 4 + i];
              b[i] = bTile[k][tx * 4 + i];
            }
            for (var i = 0; i < 4; i = i + 1) {
              for (var j = 0; j < 4; j = j + 1) { acc[i][j] = fma(a[i], b[j], acc[i][j]); }
            }
          }
          workgroupBarrier();
        }
        for (var i = 0; i < 4; i = i + 1) {
          let m = m0 + ty * 4 + i;
          for (var j = 0; j < 4; j = j + 1) {
            let n = n0 + tx * 4 + j;
            if (m < uniforms.rows && n < uniforms.cols) { result[(split * uniforms.rows + m) * uniforms.cols + n] = acc[i][j]; }
          }
        }
      }`,
  };
}

function sumSplitsProgram(filterShape: number[]): WebGpuProgram {
  const size = filterShape.reduce((a, b) => a * b, 1);
  return {
    outputShape: filterShape,
    shaderKey: 'sketchXnorConv2DFilterSumSplits',
    dispatchLayout: { x: filterShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / 64), 1, 1],
    workgroupSize: [64, 1, 1],
    size: true,
    variableNames: ['tiles'],
    uniforms: 'splits : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        var sum = 0.0;
        for (var s = 0; s < uniforms.splits; s = s + 1) { sum = sum + tiles[s * uniforms.size + index]; }
        result[index] = sum;
      }`,
  };
}

export const webgpuConv2DBackpropFilter: ProjectKernel = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'webgpu',
  reason: "tfjs's gives one thread per filter weight (14,400 threads of 341,000 multiply-adds for conv1 at batch 64); a tiled implicit GEMM with split-K",
  create: (original) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { dataFormat, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC' || x.dtype !== 'float32') {
      if (!original) throw new Error(`Conv2DBackpropFilter on webgpu: no kernel for ${dataFormat} ${x.dtype}`);
      return original(args);
    }
    const info = filterGradientInfo(x, attrs as unknown as Conv2DBackpropFilterAttrs);
    const gpu = backend as unknown as WebGpuProgramRunner;
    const rows = info.filterHeight * info.filterWidth * info.inChannels;
    const cols = info.outChannels;
    const reduceSize = info.batchSize * info.outHeight * info.outWidth;
    const tiles = Math.ceil(rows / TILE) * Math.ceil(cols / TILE);
    const splits = Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.ceil(reduceSize / (DEPTH * 8))));
    // chunks a multiple of the staging depth, so only the last chunk has a ragged end
    const chunk = Math.ceil(reduceSize / splits / DEPTH) * DEPTH;
    const used = Math.ceil(reduceSize / chunk);
    const partial = gpu.runWebGPUProgram(
      partialTilesProgram(used, rows, cols),
      [x, dy],
      'float32',
      intUniforms(rows, cols, info.inChannels, info.filterWidth, info.outHeight, info.outWidth, info.inHeight, info.inWidth,
        info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, reduceSize, chunk),
    );
    try {
      return gpu.runWebGPUProgram(sumSplitsProgram(filterShape), [partial], 'float32', intUniforms(used));
    } finally {
      gpu.disposeData(partial.dataId);
    }
  },
};
