// The output shape of the inference conv layers (PackedConv2D, SparseConv2D), unknown sizes kept unknown.
import { convAxis } from '../xnor/xnor-conv.js';

type Shape = Array<number | null>;

export function convOutputShape(
  inputShape: Shape | Shape[],
  kernelSize: [number, number],
  strides: [number, number],
  padding: 'same' | 'valid',
  filters: number,
): Shape {
  const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  const h = shape[1] == null ? null : convAxis(shape[1], kernelSize[0], strides[0], padding).out;
  const w = shape[2] == null ? null : convAxis(shape[2], kernelSize[1], strides[1], padding).out;
  return [shape[0], h, w, filters];
}
