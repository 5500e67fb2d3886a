// How an XnorConv2D kernel reads its inputs from a backend and hands its output back; the two CPU-memory backends
// (cpu, wasm) differ only in how an output tensor is allocated.
import type { KernelFunc, NamedTensorInfoMap, TensorInfo, KernelBackend } from '@tensorflow/tfjs-core';
import { xnorConv2dImpl, type XnorConv2DAttrs } from './xnor_conv2d_impl.js';

type ReadableBackend = KernelBackend & { readSync(dataId: object): unknown };

export function xnorConv2dKernelFunc(makeOutput: (backend: KernelBackend, shape: number[], values: Float32Array) => TensorInfo): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const b = backend as ReadableBackend;
    const named = inputs as NamedTensorInfoMap;
    const read = (name: string) => (named[name] ? (b.readSync(named[name]!.dataId) as ArrayLike<number>) : undefined);
    const { values, shape } = xnorConv2dImpl(
      {
        x: read('x')!,
        xShape: named.x!.shape,
        kernelBits: read('kernelBits') as Int32Array,
        alpha: read('alpha')!,
        bias: read('bias'),
        threshold: read('threshold'),
        negate: read('negate'),
      },
      attrs as unknown as XnorConv2DAttrs,
    );
    return makeOutput(backend as KernelBackend, shape, values);
  };
}
