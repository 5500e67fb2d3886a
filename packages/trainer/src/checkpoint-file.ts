// The checkpoint file: one self-checking binary file, written atomically.
// Layout (version 2): 8-byte magic "SXNCKPT2", uint32 LE header length, UTF-8 JSON header, the tensors' raw
// little-endian bytes, then a 32-byte SHA-256 of everything before it: header and payload are both covered, so one
// flipped bit anywhere is detected before anything is restored. Version 1 ("SXNCKPT1": the same without the trailer,
// the header holding the payload's SHA-256) is still read; its header is not covered, so every tensor entry is
// checked strictly (both versions): known dtype, byteLength = 4 x the shape's values, entries in order, back to back,
// exactly filling the payload.
import { createHash } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const MAGIC_V1 = 'SXNCKPT1';
const MAGIC_V2 = 'SXNCKPT2';
const MAGIC_BYTES = 8;
const PREFIX_BYTES = MAGIC_BYTES + 4;
const TRAILER_BYTES = 32;
const FORMAT = 'sketch-xnor-checkpoint';

/** The version encodeCheckpoint writes; decodeCheckpoint reads it and version 1. */
export const CHECKPOINT_VERSION = 2;
/** Longest tensor name a checkpoint may hold, in characters. */
export const MAX_TENSOR_NAME_LENGTH = 1024;

export type CheckpointDtype = 'float32' | 'int32';
const DTYPES: readonly string[] = ['float32', 'int32'] satisfies CheckpointDtype[];
const BYTES_PER_VALUE = 4;

export interface NamedTensorData {
  name: string;
  shape: number[];
  dtype: CheckpointDtype;
  data: Float32Array | Int32Array;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: CheckpointDtype;
  byteOffset: number;
  byteLength: number;
}

interface Header {
  format: typeof FORMAT;
  version: 1 | 2;
  meta: Record<string, unknown>;
  tensors: TensorEntry[];
  payloadBytes: number;
  /** Version 1 only: the payload's SHA-256 (version 2 has the trailer instead). */
  sha256?: string;
}

/** A checkpoint that cannot be read: names the file and what is wrong. */
export class CheckpointError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    /** An intact checkpoint to resume from instead (the previous one), when loadCheckpoint found one. */
    readonly previous?: string,
  ) {
    super(`checkpoint ${file}: ${reason}`);
    this.name = 'CheckpointError';
  }
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Serializes `meta` and `tensors` into the checkpoint byte layout (version 2). */
export function encodeCheckpoint(meta: Record<string, unknown>, tensors: readonly NamedTensorData[]): Uint8Array {
  const entries: TensorEntry[] = [];
  let payloadBytes = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected) throw new Error(`encodeCheckpoint: tensor '${t.name}' has ${t.data.length} values for shape [${t.shape}]`);
    entries.push({ name: t.name, shape: t.shape, dtype: t.dtype, byteOffset: payloadBytes, byteLength: t.data.byteLength });
    payloadBytes += t.data.byteLength;
  }
  const header: Header = { format: FORMAT, version: 2, meta, tensors: entries, payloadBytes };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payloadStart = PREFIX_BYTES + headerBytes.length;
  const out = new Uint8Array(payloadStart + payloadBytes + TRAILER_BYTES);
  out.set(new TextEncoder().encode(MAGIC_V2), 0);
  new DataView(out.buffer).setUint32(MAGIC_BYTES, headerBytes.length, true);
  out.set(headerBytes, PREFIX_BYTES);
  tensors.forEach((t, i) => out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), payloadStart + entries[i]!.byteOffset));
  out.set(sha256(out.subarray(0, out.length - TRAILER_BYTES)), out.length - TRAILER_BYTES);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Checks every tensor entry against its shape and the payload: a known dtype, a shape of non-negative integers,
 * byteLength = 4 x its values, and entries in order, back to back, exactly filling `payloadBytes`.
 */
function checkEntries(tensors: unknown, payloadBytes: number, fail: (why: string) => never): TensorEntry[] {
  if (!Array.isArray(tensors)) return fail('corrupt header: no tensor table');
  let offset = 0;
  tensors.forEach((entry: unknown, i) => {
    if (!isObject(entry)) return fail(`corrupt header: tensor ${i} is not an entry`);
    const { name, shape, dtype, byteOffset, byteLength } = entry;
    if (typeof name !== 'string' || name.length > MAX_TENSOR_NAME_LENGTH) fail(`corrupt header: tensor ${i} has no name`);
    const what = `tensor ${i} (${String(name)})`;
    if (typeof dtype !== 'string' || !DTYPES.includes(dtype)) fail(`corrupt header: ${what} has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`corrupt header: ${what} has a bad shape ${JSON.stringify(shape)}`);
    const values = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!isCount(byteLength) || byteLength !== values * BYTES_PER_VALUE) {
      fail(`corrupt header: ${what} has byteLength ${JSON.stringify(byteLength)}, but its shape [${String(shape)}] needs ${values * BYTES_PER_VALUE}`);
    }
    if (byteOffset !== offset) fail(`corrupt header: ${what} starts at byte ${JSON.stringify(byteOffset)} of the payload, expected ${offset} (entries are back to back, in order)`);
    offset += byteLength as number;
    if (offset > payloadBytes) fail(`corrupt header: ${what} ends at byte ${offset}, past the payload's ${payloadBytes} bytes`);
  });
  if (offset !== payloadBytes) fail(`corrupt header: the tensors fill ${offset} of the payload's ${payloadBytes} bytes`);
  return tensors as TensorEntry[];
}

/** Parses and verifies checkpoint bytes (version 2, or version 1); `file` is only used in error messages. */
export function decodeCheckpoint(bytes: Uint8Array, file: string): { meta: Record<string, unknown>; tensors: NamedTensorData[] } {
  const fail = (why: string): never => {
    throw new CheckpointError(file, why);
  };
  const magic = bytes.length >= PREFIX_BYTES ? new TextDecoder().decode(bytes.subarray(0, MAGIC_BYTES)) : '';
  if (magic !== MAGIC_V1 && magic !== MAGIC_V2) fail(`not a checkpoint file (it does not start with ${MAGIC_V2} or ${MAGIC_V1}; ${bytes.length} bytes)`);
  const version = magic === MAGIC_V2 ? 2 : 1;
  const trailerBytes = version === 2 ? TRAILER_BYTES : 0;
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC_BYTES, true);
  if (PREFIX_BYTES + headerLength + trailerBytes > bytes.length) {
    fail(`truncated: the header needs ${PREFIX_BYTES + headerLength + trailerBytes} bytes, the file has ${bytes.length}`);
  }
  const parseHeader = (): Header => {
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
    } catch (error) {
      return fail(`corrupt header (${(error as Error).message})`);
    }
  };
  const expectedLength = (header: Header) => PREFIX_BYTES + headerLength + header.payloadBytes + trailerBytes;
  if (version === 2) {
    // Nothing of the header is trusted before the checksum; on a mismatch it only helps to tell truncation.
    const sum = sha256(bytes.subarray(0, bytes.length - TRAILER_BYTES));
    if (!sum.equals(bytes.subarray(bytes.length - TRAILER_BYTES))) {
      const claimed = (() => {
        try {
          return parseHeader();
        } catch {
          return undefined;
        }
      })();
      if (isObject(claimed) && isCount(claimed.payloadBytes) && bytes.length < expectedLength(claimed)) {
        fail(`truncated: ${bytes.length} of ${expectedLength(claimed)} bytes`);
      }
      fail('corrupt: the header and payload do not match their SHA-256 checksum');
    }
  }
  const header = parseHeader();
  if (!isObject(header) || header.format !== FORMAT || header.version !== version) {
    fail(`unsupported header (format ${String(header?.format)}, version ${String(header?.version)}, in a version ${version} file)`);
  }
  if (!isCount(header.payloadBytes)) fail(`corrupt header: payloadBytes ${JSON.stringify(header.payloadBytes)} is not a byte count`);
  if (bytes.length < expectedLength(header)) fail(`truncated: ${bytes.length} of ${expectedLength(header)} bytes`);
  if (bytes.length > expectedLength(header)) fail(`corrupt: ${bytes.length - expectedLength(header)} unexpected bytes after the payload`);
  const payloadStart = PREFIX_BYTES + headerLength;
  const payload = bytes.subarray(payloadStart, payloadStart + header.payloadBytes);
  if (version === 1 && sha256(payload).toString('hex') !== header.sha256) fail('corrupt: the payload does not match its SHA-256 checksum');
  if (!isObject(header.meta)) fail('corrupt header: no meta object');
  const entries = checkEntries(header.tensors, header.payloadBytes, fail);
  const tensors = entries.map((entry): NamedTensorData => {
    // Copy so the views are aligned and independent of the file buffer (Buffer#slice would share it).
    const raw = new Uint8Array(entry.byteLength);
    raw.set(payload.subarray(entry.byteOffset, entry.byteOffset + entry.byteLength));
    const data = entry.dtype === 'int32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer);
    return { name: entry.name, shape: entry.shape, dtype: entry.dtype, data };
  });
  return { meta: header.meta, tensors };
}

/**
 * Writes `bytes` to `file` so that a reader sees the old or the new content, never a mix: a temp file is
 * written and fsynced, then renamed over `file`. With `previousFile`, the old `file` is first hard-linked
 * there (copy-free, and `file` never disappears), so the last good checkpoint survives a bad new one.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array, previousFile?: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (previousFile !== undefined) await preserve(file, previousFile);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function preserve(file: string, previousFile: string): Promise<void> {
  const tempLink = `${previousFile}.${process.pid}.tmp`;
  await rm(tempLink, { force: true });
  try {
    await link(file, tempLink);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // first checkpoint: nothing to keep
    throw error;
  }
  await rename(tempLink, previousFile);
}

/** Makes the renames durable; directories cannot be opened for sync on some platforms (Windows), which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

/** Reads and verifies a checkpoint file. */
export async function readCheckpointFile(file: string): Promise<{ meta: Record<string, unknown>; tensors: NamedTensorData[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as Error).message})`);
  }
  return decodeCheckpoint(bytes, file);
}
