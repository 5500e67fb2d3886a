// Sign-bit packing for XNOR-popcount arithmetic. A bit is 1 where the value is negative (-1) and 0 where it is
// +1 (sign(0) = +1, as everywhere in the project). Rows are padded with 0 bits to whole 128-bit groups, so
// padding contributes nothing to popcount(a xor b) and SIMD loads never straddle rows.

/** Bits of one 128-bit SIMD group. */
export const BITS_PER_GROUP = 128;
const WORDS_PER_GROUP = 4;

/** Rows of sign bits: `rows` rows of `groups` 128-bit groups (4 x u32 words each), `length` real bits per row. */
export interface PackedSigns {
  bits: Uint32Array;
  rows: number;
  length: number;
  groups: number;
}

export function groupsFor(length: number): number {
  return Math.max(1, Math.ceil(length / BITS_PER_GROUP));
}

/** Packs a row-major `rows x length` matrix of reals by sign. */
export function packSignRows(values: ArrayLike<number>, rows: number, length: number): PackedSigns {
  if (values.length !== rows * length) {
    throw new RangeError(`packSignRows: expected ${rows}x${length} = ${rows * length} values, got ${values.length}`);
  }
  const groups = groupsFor(length);
  const stride = groups * WORDS_PER_GROUP;
  const bits = new Uint32Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    const src = r * length;
    const dst = r * stride;
    for (let c = 0; c < length; c++) {
      if (values[src + c] < 0) bits[dst + (c >>> 5)] |= 1 << (c & 31);
    }
  }
  return { bits, rows, length, groups };
}

/** The +-1 values of packed rows, for references and debugging. */
export function unpackSignRows(packed: PackedSigns): Float32Array {
  const { bits, rows, length, groups } = packed;
  const stride = groups * WORDS_PER_GROUP;
  const out = new Float32Array(rows * length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < length; c++) {
      out[r * length + c] = (bits[r * stride + (c >>> 5)] >>> (c & 31)) & 1 ? -1 : 1;
    }
  }
  return out;
}
