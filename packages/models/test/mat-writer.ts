// A small MAT v5 writer for the tests (MATLAB's "MAT-File Format", chapter 1), written apart from the reader:
// numeric arrays given in MATLAB's column-major order, char, cell and struct arrays, optionally zlib-compressed.
import { deflateSync } from 'node:zlib';

export type MatInput =
  | { numeric: ArrayLike<number>; dims: number[]; storage?: 'double' | 'single' | 'uint8' }
  | string
  | { cell: MatInput[]; dims?: number[] }
  | { struct: Record<string, MatInput> };

const MI = { INT8: 1, UINT8: 2, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, MATRIX: 14, COMPRESSED: 15 };
const MX = { CELL: 1, STRUCT: 2, CHAR: 4, DOUBLE: 6, SINGLE: 7 };

function element(type: number, data: Uint8Array): Uint8Array {
  const padded = type === MI.COMPRESSED ? data.length : Math.ceil(data.length / 8) * 8;
  const out = new Uint8Array(8 + padded);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const int32s = (values: number[]) => new Uint8Array(Int32Array.from(values).buffer);
const header = (classId: number, dims: number[], name: string) =>
  concat([element(MI.UINT32, new Uint8Array(Uint32Array.from([classId, 0]).buffer)), element(MI.INT32, int32s(dims)), element(MI.INT8, new TextEncoder().encode(name))]);

/** The miMATRIX element of one value. */
export function matrix(value: MatInput, name = ''): Uint8Array {
  if (typeof value === 'string') {
    const chars = new Uint8Array(Uint16Array.from(value, (c) => c.charCodeAt(0)).buffer);
    return element(MI.MATRIX, concat([header(MX.CHAR, [1, value.length], name), element(MI.UINT16, chars)]));
  }
  if ('numeric' in value) {
    const storage = value.storage ?? 'double';
    const data =
      storage === 'single' ? element(MI.SINGLE, new Uint8Array(Float32Array.from(value.numeric).buffer))
      : storage === 'uint8' ? element(MI.UINT8, Uint8Array.from(value.numeric))
      : element(MI.DOUBLE, new Uint8Array(Float64Array.from(value.numeric).buffer));
    return element(MI.MATRIX, concat([header(storage === 'single' ? MX.SINGLE : MX.DOUBLE, value.dims, name), data]));
  }
  if ('cell' in value) {
    const dims = value.dims ?? [1, value.cell.length];
    return element(MI.MATRIX, concat([header(MX.CELL, dims, name), ...value.cell.map((item) => matrix(item))]));
  }
  const fields = Object.keys(value.struct);
  const nameLength = 32;
  const names = new Uint8Array(nameLength * fields.length);
  fields.forEach((field, i) => names.set(new TextEncoder().encode(field), i * nameLength));
  // the field-name length as a small data element (4-byte tag), as MATLAB writes it
  const small = new Uint8Array(8);
  new DataView(small.buffer).setUint32(0, (4 << 16) | MI.INT32, true);
  new DataView(small.buffer).setInt32(4, nameLength, true);
  return element(
    MI.MATRIX,
    concat([header(MX.STRUCT, [1, 1], name), small, element(MI.INT8, names), ...fields.map((f) => matrix(value.struct[f]!))]),
  );
}

/** A whole MAT v5 file of named variables, each compressed or not. */
export function matFile(variables: Record<string, MatInput>, { compress = false } = {}): Uint8Array {
  const text = 'MATLAB 5.0 MAT-file, written by the sketch-xnor tests'.padEnd(116, ' ');
  const head = new Uint8Array(128);
  head.set(new TextEncoder().encode(text), 0);
  new DataView(head.buffer).setUint16(124, 0x0100, true);
  head.set(new TextEncoder().encode('IM'), 126);
  const bodies = Object.entries(variables).map(([name, value]) => {
    const m = matrix(value, name);
    return compress ? element(MI.COMPRESSED, deflateSync(m)) : m;
  });
  return concat([head, ...bodies]);
}

/** Row-major data of `dims` (TF.js) in MATLAB's column-major order. */
export function toColumnMajor(rowMajor: ArrayLike<number>, dims: number[]): Float64Array {
  const out = new Float64Array(rowMajor.length);
  const [d0 = 1, d1 = 1, d2 = 1, d3 = 1] = dims;
  for (let a = 0; a < d0; a++)
    for (let b = 0; b < d1; b++)
      for (let c = 0; c < d2; c++)
        for (let d = 0; d < d3; d++) out[a + d0 * (b + d1 * (c + d2 * d))] = rowMajor[((a * d1 + b) * d2 + c) * d3 + d]!;
  return out;
}

/** mulberry32 in [-0.5, 0.5): deterministic fixture weights. */
export function fixtureRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}
