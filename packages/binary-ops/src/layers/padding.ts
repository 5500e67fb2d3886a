// Explicit 'same' padding with a chosen value. Binary nets pad with +1 or -1 rather than 0, so that padding
// does not add a third value to a {-1, +1} input (and so a packed XNOR kernel can reproduce the layer).

/** [before, after] padding of one spatial axis that TF's 'same' mode would use. */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effectiveKernel = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
