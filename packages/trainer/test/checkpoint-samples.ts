// Small checkpoint contents for the file-format tests and fuzz tests: one weight and its two Adam moments, and a
// version 1 writer (the format before the header was checksummed), to check that old files still read.
import { createHash } from 'node:crypto';
import type { NamedTensorData } from '../src/checkpoint-file.js';

/** weights/w and its moments adam.m/w, adam.v/w: three float32 tensors of shape [2, 3], 24 bytes each. */
export function sampleTensors(): NamedTensorData[] {
  const values = (start: number) => Float32Array.from({ length: 6 }, (_, i) => start + i * 0.25);
  return [
    { name: 'weights/w', shape: [2, 3], dtype: 'float32', data: values(-1) },
    { name: 'adam.m/w', shape: [2, 3], dtype: 'float32', data: values(0.5) },
    { name: 'adam.v/w', shape: [2, 3], dtype: 'float32', data: values(2) },
  ];
}

/** A training state's meta for `tensorCount` tensors (one weight, the rest its moments), at `step`. */
export function trainingMeta(tensorCount: number, step = 4): Record<string, unknown> {
  return {
    position: { step, epoch: 0, batch: step, learningRate: 0.01, seed: 0, epochTotals: { lossSum: 1.5, correct: 2, samples: 8, batches: step } },
    optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7, updates: step },
    weightCount: 1,
    momentCount: (tensorCount - 1) / 2,
  };
}

/** Version 1 bytes: "SXNCKPT1", header length, the header with the payload's SHA-256, the payload. */
export function encodeVersion1(header: Record<string, unknown>, payload: Uint8Array): Uint8Array {
  const sha256 = createHash('sha256').update(payload).digest('hex');
  const headerBytes = new TextEncoder().encode(JSON.stringify({ ...header, version: 1, sha256 }));
  const out = new Uint8Array(12 + headerBytes.length + payload.length);
  out.set(new TextEncoder().encode('SXNCKPT1'));
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  out.set(payload, 12 + headerBytes.length);
  return out;
}
