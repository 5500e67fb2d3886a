// A reader of MATLAB's MAT-file level 5 format (what `save` writes up to -v7): numeric, logical, char, cell and
// struct arrays, zlib-compressed or not, either byte order. Enough for MatConvNet models; sparse, object and
// function-handle arrays and the HDF5-based -v7.3 files are refused by name. Pure (the caller brings zlib's
// inflate), bounded: every length is checked against the bytes that hold it before anything is allocated.
// Layout: MATLAB's "MAT-File Format" (MathWorks, version 7 document), chapter 1.

/** A MAT file that cannot be read: names the file and what is wrong. */
export class MatFileError extends Error {
  override name = 'MatFileError';
}

export type MatValue =
  | { kind: 'numeric'; className: string; dims: number[]; data: Float64Array; logical: boolean }
  | { kind: 'char'; dims: number[]; text: string }
  | { kind: 'cell'; dims: number[]; items: MatValue[] }
  | { kind: 'struct'; dims: number[]; fields: string[]; elements: Array<Record<string, MatValue>> };

export interface MatReadOptions {
  /** Names the file in errors. */
  file: string;
  /** zlib inflate (Node: `zlib.inflateSync`); compressed variables are refused without it. */
  inflate?: (bytes: Uint8Array, maxOutputBytes: number) => Uint8Array;
  /** Refuse files that would decompress to more than this (a zip-bomb guard). Default 2 GiB. */
  maxInflatedBytes?: number;
}

/** Nesting deeper than this is refused (MatConvNet models nest 4-5 levels). */
export const MAT_MAX_DEPTH = 32;

const HEADER_BYTES = 128;
// data types (miXXX)
const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18 } as const;
const ELEMENT_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4 };
// array classes (mxXXX_CLASS)
const CLASS_NAMES: Record<number, string> = {
  1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse', 6: 'double', 7: 'single', 8: 'int8', 9: 'uint8',
  10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64', 16: 'function handle', 17: 'opaque',
};

/** Reads every variable of a MAT v5 file, by name. */
export function readMatFile(bytes: Uint8Array, options: MatReadOptions): Map<string, MatValue> {
  const { file } = options;
  const fail = (why: string): never => {
    throw new MatFileError(`${file}: ${why}`);
  };
  if (bytes.byteLength < HEADER_BYTES) fail(`not a MAT file (${bytes.byteLength} bytes, shorter than the 128-byte header)`);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 116));
  if (text.startsWith('MATLAB 7.3 MAT-file') || text.startsWith('\x89HDF')) {
    fail("is a MAT v7.3 (HDF5) file, which this reader does not read: in MATLAB, re-save it with save(file, 'net', '-v7')");
  }
  if (!text.startsWith('MATLAB 5.0 MAT-file')) fail('not a MAT v5 file (its header does not start with "MATLAB 5.0 MAT-file")');
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') fail(`unknown byte order mark ${JSON.stringify(endian)}`);
  const context: Context = {
    fail,
    little: endian === 'IM',
    inflate: options.inflate,
    inflateBudget: options.maxInflatedBytes ?? 2 ** 31,
  };
  const variables = new Map<string, MatValue>();
  forEachElement(context, bytes, HEADER_BYTES, bytes.byteLength, 0, (type, body) => {
    if (type !== MI.MATRIX) return; // other top-level elements carry no variable
    const { name, value } = readMatrix(context, body, 0);
    variables.set(name, value);
  });
  return variables;
}

interface Context {
  fail: (why: string) => never;
  little: boolean;
  inflate: MatReadOptions['inflate'];
  /** Decompressed bytes still allowed. */
  inflateBudget: number;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Calls `visit` with each data element of `bytes[start, end)`, compressed elements inflated. */
function forEachElement(
  context: Context,
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
  visit: (type: number, body: Uint8Array) => void,
): void {
  let at = start;
  while (at < end) {
    const { type, body, next } = readTag(context, bytes, at, end);
    at = next;
    if (type === MI.COMPRESSED) {
      if (depth > 0) context.fail('a compressed element nested inside another');
      const inflated = inflateElement(context, body);
      forEachElement(context, inflated, 0, inflated.byteLength, depth + 1, visit);
    } else {
      visit(type, body);
    }
  }
}

function inflateElement(context: Context, body: Uint8Array): Uint8Array {
  if (!context.inflate) context.fail('holds compressed variables, and no inflate function was given');
  let out: Uint8Array;
  try {
    out = context.inflate!(body, context.inflateBudget);
  } catch (err) {
    return context.fail(`a compressed variable does not inflate (${err instanceof Error ? err.message : String(err)}; truncated or corrupt?)`);
  }
  context.inflateBudget -= out.byteLength;
  if (context.inflateBudget < 0) context.fail('decompresses to more than the allowed size');
  return out;
}

/** One tag (normal 8-byte or small 4+4 format) at `at`; `next` is past its padding. */
function readTag(context: Context, bytes: Uint8Array, at: number, end: number): { type: number; body: Uint8Array; next: number } {
  if (end - at < 8) context.fail(`truncated: ${end - at} bytes left where a data element's 8-byte tag starts (offset ${at})`);
  const v = view(bytes);
  const first = v.getUint32(at, context.little);
  const smallBytes = first >>> 16;
  if (smallBytes !== 0) {
    // small data element: type and size in one word, up to 4 bytes of data in the next
    if (smallBytes > 4) context.fail(`a small data element claims ${smallBytes} bytes (at most 4), at offset ${at}`);
    return { type: first & 0xffff, body: bytes.subarray(at + 4, at + 4 + smallBytes), next: at + 8 };
  }
  const type = first;
  const length = v.getUint32(at + 4, context.little);
  if (length > end - at - 8) context.fail(`truncated: a data element at offset ${at} claims ${length} bytes, ${end - at - 8} remain`);
  const body = bytes.subarray(at + 8, at + 8 + length);
  // compressed elements are not padded; the others are padded to 8 bytes
  const padded = type === MI.COMPRESSED ? length : Math.ceil(length / 8) * 8;
  return { type, body, next: Math.min(end, at + 8 + padded) };
}

/** The sub-elements of a miMATRIX body, in order. */
function subElements(context: Context, body: Uint8Array): Array<{ type: number; body: Uint8Array }> {
  const parts: Array<{ type: number; body: Uint8Array }> = [];
  let at = 0;
  while (at < body.byteLength) {
    const { type, body: part, next } = readTag(context, body, at, body.byteLength);
    parts.push({ type, body: part });
    at = next;
  }
  return parts;
}

function readMatrix(context: Context, body: Uint8Array, depth: number): { name: string; value: MatValue } {
  const { fail } = context;
  if (depth > MAT_MAX_DEPTH) fail(`arrays nested deeper than ${MAT_MAX_DEPTH} levels`);
  // an empty miMATRIX is an empty array (MATLAB writes these for empty cells)
  if (body.byteLength === 0) return { name: '', value: { kind: 'numeric', className: 'double', dims: [0, 0], data: new Float64Array(0), logical: false } };
  const parts = subElements(context, body);
  const [flags, dimsPart, namePart] = parts;
  if (!flags || !dimsPart || !namePart) fail('an array without its flags, dimensions and name');
  if (flags!.type !== MI.UINT32 || flags!.body.byteLength !== 8) fail('an array whose flags are not two uint32');
  const flagWord = view(flags!.body).getUint32(0, context.little);
  const classId = flagWord & 0xff;
  const complex = (flagWord & 0x0800) !== 0;
  const logical = (flagWord & 0x0200) !== 0;
  const dims = Array.from(numbers(context, dimsPart!.type, dimsPart!.body, 'dimensions'));
  if (dims.length < 2 || dims.some((d) => !Number.isInteger(d) || d < 0)) fail(`an array with bad dimensions [${dims.join(', ')}]`);
  const count = dims.reduce((a, b) => a * b, 1);
  const name = new TextDecoder().decode(namePart!.body);
  const where = name ? `variable or field "${name}"` : 'an array';
  const className = CLASS_NAMES[classId];
  if (!className) fail(`${where} has an unknown array class ${classId}`);
  const rest = parts.slice(3);
  // every element of a cell or struct takes at least 8 bytes, so a count beyond the bytes is a lie
  if (count > body.byteLength) fail(`${where} claims ${count} elements in ${body.byteLength} bytes`);

  switch (className) {
    case 'cell': {
      if (rest.length !== count) fail(`${where}: a ${dims.join('x')} cell holds ${rest.length} arrays`);
      const items = rest.map((part) => matrixOf(context, part, depth));
      return { name, value: { kind: 'cell', dims, items } };
    }
    case 'struct': {
      const [lengthPart, namesPart, ...values] = rest;
      if (!lengthPart || !namesPart) fail(`${where}: a struct without its field names`);
      const nameLength = numbers(context, lengthPart!.type, lengthPart!.body, 'field name length')[0] ?? 0;
      if (!Number.isInteger(nameLength) || nameLength <= 0 || nameLength > 4096) fail(`${where}: field name length ${nameLength}`);
      const fieldCount = Math.floor(namesPart!.body.byteLength / nameLength);
      const fields = Array.from({ length: fieldCount }, (_, i) =>
        new TextDecoder().decode(namesPart!.body.subarray(i * nameLength, (i + 1) * nameLength)).replace(/\0.*$/s, ''),
      );
      if (values.length !== count * fieldCount) fail(`${where}: a ${dims.join('x')} struct of ${fieldCount} fields holds ${values.length} arrays`);
      const elements = Array.from({ length: count }, (_, e) =>
        Object.fromEntries(fields.map((field, f) => [field, matrixOf(context, values[e * fieldCount + f]!, depth)] as const)),
      );
      return { name, value: { kind: 'struct', dims, fields, elements } };
    }
    case 'char': {
      const [data] = rest;
      if (count === 0) return { name, value: { kind: 'char', dims, text: '' } };
      if (!data) fail(`${where}: a char array without data`);
      const text = decodeChars(context, data!.type, data!.body, where);
      return { name, value: { kind: 'char', dims, text } };
    }
    case 'double': case 'single': case 'int8': case 'uint8': case 'int16': case 'uint16':
    case 'int32': case 'uint32': case 'int64': case 'uint64': {
      const [real] = rest;
      if (complex) fail(`${where} is complex, which a model never holds`);
      if (count === 0) return { name, value: { kind: 'numeric', className, dims, data: new Float64Array(0), logical } };
      if (!real) fail(`${where}: a numeric array without data`);
      const data = numbers(context, real!.type, real!.body, where);
      if (data.length !== count) fail(`${where}: ${data.length} values for dimensions ${dims.join('x')} (truncated or corrupt?)`);
      return { name, value: { kind: 'numeric', className, dims, data, logical } };
    }
    default:
      return fail(`${where} is a ${className} array, which this reader does not read`);
  }
}

function matrixOf(context: Context, part: { type: number; body: Uint8Array }, depth: number): MatValue {
  if (part.type !== MI.MATRIX) context.fail(`an element of type ${part.type} where an array was expected`);
  return readMatrix(context, part.body, depth + 1).value;
}

/** The values of a numeric data element, as float64 (MATLAB may store a double array in a smaller type). */
function numbers(context: Context, type: number, body: Uint8Array, what: string): Float64Array {
  const size = ELEMENT_BYTES[type];
  if (!size || type === MI.UTF8 || type === MI.UTF16 || type === MI.UTF32) context.fail(`${what}: data of type ${type} is not numeric`);
  if (body.byteLength % size! !== 0) context.fail(`${what}: ${body.byteLength} bytes is not a whole number of ${size}-byte values`);
  const v = view(body);
  const little = context.little;
  const out = new Float64Array(body.byteLength / size!);
  const read: (at: number) => number = {
    [MI.INT8]: (at: number) => v.getInt8(at),
    [MI.UINT8]: (at: number) => v.getUint8(at),
    [MI.INT16]: (at: number) => v.getInt16(at, little),
    [MI.UINT16]: (at: number) => v.getUint16(at, little),
    [MI.INT32]: (at: number) => v.getInt32(at, little),
    [MI.UINT32]: (at: number) => v.getUint32(at, little),
    [MI.SINGLE]: (at: number) => v.getFloat32(at, little),
    [MI.DOUBLE]: (at: number) => v.getFloat64(at, little),
    [MI.INT64]: (at: number) => Number(v.getBigInt64(at, little)),
    [MI.UINT64]: (at: number) => Number(v.getBigUint64(at, little)),
  }[type]!;
  for (let i = 0; i < out.length; i++) out[i] = read(i * size!);
  return out;
}

function decodeChars(context: Context, type: number, body: Uint8Array, where: string): string {
  if (type === MI.UTF8 || type === MI.UINT8 || type === MI.INT8) return new TextDecoder().decode(body);
  if (type === MI.UTF16 || type === MI.UINT16) return new TextDecoder(context.little ? 'utf-16le' : 'utf-16be').decode(body);
  return context.fail(`${where}: char data of type ${type}`);
}
