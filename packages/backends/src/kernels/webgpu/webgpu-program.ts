// The part of @tensorflow/tfjs-backend-webgpu's program API that the project's webgpu kernels use, typed here so
// the package needs the backend only at run time (it is an optional peer). tfjs generates the buffer bindings
// (`result`, one array per variable name), the uniforms (shapes, then the program's own, in declared order) and
// the entry point, which calls `main(index)` for a flat dispatch and `main()` otherwise.
import type { TensorInfo } from '@tensorflow/tfjs-core';

export interface WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  /** Adds `uniforms.size` (the output's element count). */
  size?: boolean;
  /** WGSL struct fields, e.g. `rows : i32, cols : i32,`. */
  uniforms?: string;
  getUserCode(): string;
}

export interface WebGpuProgramRunner {
  runWebGPUProgram(program: WebGpuProgram, inputs: TensorInfo[], outputDtype: 'float32' | 'int32', uniforms: { type: 'int32'; data: number[] }[]): TensorInfo;
  disposeData(dataId: object): void;
}

/** i32 uniforms, one field each, in the order the program declares them. */
export function intUniforms(...values: number[]): { type: 'int32'; data: number[] }[] {
  return values.map((value) => ({ type: 'int32', data: [value] }));
}
