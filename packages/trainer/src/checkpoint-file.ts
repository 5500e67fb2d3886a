// The checkpoint file: one self-checking binary file, written atomically.
// Layout: 8-byte magic, uint32 LE header length, UTF-8 JSON header, then the tensors' raw little-endian bytes.
// The header records every tensor's place and the SHA-256 of the payload, so truncation and corruption are
// detected before anything is restored.
import { createHash } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const MAGIC = 'SXNCKPT1';
const PREFIX_BYTES = MAGIC.length + 4;

export type CheckpointDtype = 'float32' | 'int32';

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
  format: 'sketch-xnor-checkpoint';
  version: 1;
  meta: Record<string, unknown>;
  tensors: TensorEntry[];
  payloadBytes: number;
  sha256: string;
}

/** A checkpoint that cannot be read: names the file and what is wrong. */
export class CheckpointError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`checkpoint ${file}: ${reason}`);
    this.name = 'CheckpointError';
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Serializes `meta` and `tensors` into the checkpoint byte layout. */
export function encodeCheckpoint(meta: Record<string, unknown>, tensors: readonly NamedTensorData[]): Uint8Array {
  const entries: TensorEntry[] = [];
  let payloadBytes = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected) throw new Error(`encodeCheckpoint: tensor '${t.name}' has ${t.data.length} values for shape [${t.shape}]`);
    entries.push({ name: t.name, shape: t.shape, dtype: t.dtype, byteOffset: payloadBytes, byteLength: t.data.byteLength });
    payloadBytes += t.data.byteLength;
  }
  const payload = new Uint8Array(payloadBytes);
  tensors.forEach((t, i) => payload.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), entries[i]!.byteOffset));
  const header: Header = { format: 'sketch-xnor-checkpoint', version: 1, meta, tensors: entries, payloadBytes, sha256: sha256(payload) };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + headerBytes.length + payloadBytes);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, PREFIX_BYTES);
  out.set(payload, PREFIX_BYTES + headerBytes.length);
  return out;
}

/** Parses and verifies checkpoint bytes; `file` is only used in error messages. */
export function decodeCheckpoint(bytes: Uint8Array, file: string): { meta: Record<string, unknown>; tensors: NamedTensorData[] } {
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new CheckpointError(file, `not a checkpoint file (it does not start with ${MAGIC}; ${bytes.length} bytes)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (PREFIX_BYTES + headerLength > bytes.length) {
    throw new CheckpointError(file, `truncated: the header needs ${PREFIX_BYTES + headerLength} bytes, the file has ${bytes.length}`);
  }
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch (error) {
    throw new CheckpointError(file, `corrupt header (${(error as Error).message})`);
  }
  if (header?.format !== 'sketch-xnor-checkpoint' || header.version !== 1 || !Array.isArray(header.tensors)) {
    throw new CheckpointError(file, `unsupported header (format ${String(header?.format)}, version ${String(header?.version)})`);
  }
  const payloadStart = PREFIX_BYTES + headerLength;
  const expectedLength = payloadStart + header.payloadBytes;
  if (bytes.length < expectedLength) throw new CheckpointError(file, `truncated: ${bytes.length} of ${expectedLength} bytes`);
  if (bytes.length > expectedLength) throw new CheckpointError(file, `corrupt: ${bytes.length - expectedLength} unexpected bytes after the payload`);
  const payload = bytes.subarray(payloadStart);
  if (sha256(payload) !== header.sha256) throw new CheckpointError(file, 'corrupt: the payload does not match its SHA-256 checksum');
  const tensors = header.tensors.map((entry): NamedTensorData => {
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
