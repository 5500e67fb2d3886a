// 8-bit storage of float weights in TF.js's own weight-manifest format: each float32 tensor of at least
// `minElements` values becomes uint8 with an affine (min, scale) that tfjs-core dequantizes when it loads.
import type { io } from '@tensorflow/tfjs-core';

export interface EncodedWeights {
  specs: io.WeightsManifestEntry[];
  data: Uint8Array;
}

/** Concatenates weights as TF.js stores them, quantizing large float32 tensors to uint8 when asked. */
export function encodeWeights(
  specs: io.WeightsManifestEntry[],
  buffer: ArrayBuffer,
  options: { uint8: boolean; minElements?: number },
): EncodedWeights {
  const minElements = options.minElements ?? 1024;
  const parts: Uint8Array[] = [];
  const outSpecs: io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytesPer = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : spec.dtype === 'bool' ? 1 : 4;
    const bytes = count * bytesPer;
    const raw = new Uint8Array(buffer, offset, bytes);
    offset += bytes;
    if (options.uint8 && spec.dtype === 'float32' && count >= minElements && !spec.quantization) {
      const values = new Float32Array(raw.slice().buffer);
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const scale = max > min ? (max - min) / 255 : 1;
      const q = new Uint8Array(count);
      for (let i = 0; i < count; i++) q[i] = Math.round((values[i]! - min) / scale);
      parts.push(q);
      outSpecs.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
    } else {
      parts.push(raw.slice());
      outSpecs.push(spec);
    }
  }
  const total = parts.reduce((a, p) => a + p.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.byteLength;
  }
  return { specs: outSpecs, data };
}
