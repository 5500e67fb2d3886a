// The checkpoint file's own checks: the header is covered by the checksum (version 2), every tensor entry fits its
// shape and the payload (both versions), version 1 files still read, and a bad newest checkpoint says how to resume
// from the previous one.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, CHECKPOINT_VERSION, type NamedTensorData } from '../src/checkpoint-file.js';
import { CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE, loadCheckpoint } from '../src/checkpoint.js';
import { encodeVersion1, sampleTensors, trainingMeta } from './checkpoint-samples.js';

const FILE = 'runs/a/checkpoint.ckpt';

function decodeError(bytes: Uint8Array): CheckpointError {
  let error: unknown;
  try {
    decodeCheckpoint(bytes, FILE);
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a CheckpointError').toBeInstanceOf(CheckpointError);
  expect((error as Error).message).toContain(`checkpoint ${FILE}: `);
  return error as CheckpointError;
}

/** The header JSON of a checkpoint, to change and write back (with the header length fixed up). */
function withHeader(bytes: Uint8Array, change: (header: Record<string, unknown>) => void, encode = encodeVersion1): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
  const payload = bytes.subarray(12 + length, 12 + length + header.payloadBytes);
  change(header);
  return encode(header, payload);
}

const sameTensors = (a: NamedTensorData[], b: NamedTensorData[]) =>
  expect(a.map((t) => [t.name, t.shape, t.dtype, Array.from(t.data)])).toEqual(b.map((t) => [t.name, t.shape, t.dtype, Array.from(t.data)]));

describe('checkpoint file format', () => {
  it(`writes version ${CHECKPOINT_VERSION} and reads back exactly what it wrote`, () => {
    const tensors = sampleTensors();
    const bytes = encodeCheckpoint(trainingMeta(tensors.length), tensors);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('SXNCKPT2');
    const decoded = decodeCheckpoint(bytes, FILE);
    sameTensors(decoded.tensors, tensors);
    expect(decoded.meta).toEqual(trainingMeta(tensors.length));
  });

  it('one flipped bit in a byteOffset of the header is refused (the checksum covers the header)', () => {
    const tensors = sampleTensors();
    const bytes = encodeCheckpoint(trainingMeta(tensors.length), tensors);
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf('"byteOffset":24') + '"byteOffset":'.length; // the second tensor starts at 24
    const flipped = bytes.slice();
    flipped[at]! ^= 0x04; // '2' -> '6': byteOffset 64, still a number, still valid JSON
    expect(new TextDecoder().decode(flipped)).toContain('"byteOffset":64');
    expect(decodeError(flipped).message).toMatch(/corrupt: the header and payload do not match their SHA-256 checksum/);
  });

  it('still reads version 1 files, exactly', () => {
    const tensors = sampleTensors();
    const v2 = encodeCheckpoint(trainingMeta(tensors.length), tensors);
    const v1 = withHeader(v2, () => {});
    expect(new TextDecoder().decode(v1.subarray(0, 8))).toBe('SXNCKPT1');
    sameTensors(decodeCheckpoint(v1, FILE).tensors, tensors);
  });

  it.each([
    ['an offset past the payload', (h: any) => (h.tensors[1].byteOffset = 4096), /tensor 1 \(adam\.m\/w\) starts at byte 4096 of the payload, expected 24/],
    ['a byteOffset one bit off', (h: any) => (h.tensors[1].byteOffset = 8), /tensor 1 .* starts at byte 8 of the payload, expected 24/],
    ['a byteLength not a multiple of 4', (h: any) => (h.tensors[0].byteLength = 22), /tensor 0 \(weights\/w\) has byteLength 22, but its shape \[2,3\] needs 24/],
    ['overlapping tensors', (h: any) => (h.tensors[1].byteOffset = 20), /tensor 1 \(adam\.m\/w\) starts at byte 20 of the payload, expected 24/],
    ['an unknown dtype', (h: any) => (h.tensors[0].dtype = 'float64'), /tensor 0 \(weights\/w\) has unknown dtype "float64"/],
    ['a fractional shape', (h: any) => (h.tensors[0].shape = [2.5, 3]), /has a bad shape \[2\.5,3\]/],
    ['no tensor table', (h: any) => delete h.tensors, /no tensor table/],
    ['a hostile payloadBytes', (h: any) => (h.payloadBytes = 1e300), /payloadBytes 1e\+300 is not a byte count/],
    ['tensors that do not fill the payload', (h: any) => h.tensors.pop(), /the tensors fill \d+ of the payload's \d+ bytes/],
  ])('a version 1 header with %s is a CheckpointError naming the file', (_, change, message) => {
    const tensors = sampleTensors();
    const v1 = withHeader(encodeCheckpoint(trainingMeta(tensors.length), tensors), change);
    expect(decodeError(v1).message).toMatch(message);
  });

  it('a version 2 file whose header was rewritten with a fresh checksum is still checked entry by entry', () => {
    const tensors = sampleTensors();
    const bytes = encodeCheckpoint(trainingMeta(tensors.length), tensors);
    const rewritten = withHeader(bytes, (h: any) => (h.tensors[0].byteLength = 22), encodeVersion2);
    expect(decodeError(rewritten).message).toMatch(/has byteLength 22, but its shape \[2,3\] needs 24/);
  });
});

describe('a bad newest checkpoint', () => {
  async function runFolder(): Promise<{ dir: string; file: string; previous: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-previous-'));
    const tensors = sampleTensors();
    const file = join(dir, CHECKPOINT_FILE);
    const previous = join(dir, PREVIOUS_CHECKPOINT_FILE);
    writeFileSync(previous, encodeCheckpoint(trainingMeta(tensors.length, 3), tensors));
    writeFileSync(file, encodeCheckpoint(trainingMeta(tensors.length, 4), tensors));
    return { dir, file, previous };
  }

  it('says so, names the intact previous checkpoint and how to resume from it, and does not fall back', async () => {
    const { file, previous } = await runFolder();
    const bytes = readFileSync(file);
    bytes[20]! ^= 0x01;
    writeFileSync(file, bytes);
    const error = (await loadCheckpoint(file).catch((e: unknown) => e)) as CheckpointError;
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toMatch(new RegExp(`^checkpoint ${file}: corrupt: the header and payload do not match their SHA-256 checksum`));
    expect(error.message).toContain(`The previous checkpoint ${previous} is intact (step 3, epoch 0, batch 3): to resume from it, move it into place (mv ${previous} ${file})`);
    expect(error.previous).toBe(previous);
    expect((await loadCheckpoint(previous)).position.step).toBe(3);
  });

  it('says when the previous checkpoint is damaged too, or missing', async () => {
    const { file, previous } = await runFolder();
    writeFileSync(file, 'hello');
    copyFileSync(file, previous);
    const error = (await loadCheckpoint(file).catch((e: unknown) => e)) as CheckpointError;
    expect(error.message).toMatch(/not a checkpoint file .*; no earlier checkpoint to resume from \(.*checkpoint\.previous\.ckpt: it is damaged too\)/);
    expect(error.previous).toBeUndefined();
  });

  it('refuses a header whose position holds hostile values', async () => {
    const { file } = await runFolder();
    const tensors = sampleTensors();
    const meta = trainingMeta(tensors.length) as any;
    meta.position.step = -1;
    writeFileSync(file, encodeCheckpoint(meta, tensors));
    await expect(loadCheckpoint(file)).rejects.toThrow(`checkpoint ${file}: the header does not describe a training state`);
  });
});

/** Version 2 bytes for a header and payload, with a fresh checksum (a crafted file, or a buggy writer). */
function encodeVersion2(header: Record<string, unknown>, payload: Uint8Array): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify({ ...header, version: 2 }));
  const body = new Uint8Array(12 + headerBytes.length + payload.length);
  body.set(new TextEncoder().encode('SXNCKPT2'));
  new DataView(body.buffer).setUint32(8, headerBytes.length, true);
  body.set(headerBytes, 12);
  body.set(payload, 12 + headerBytes.length);
  const out = new Uint8Array(body.length + 32);
  out.set(body);
  out.set(createHash('sha256').update(body).digest(), body.length);
  return out;
}
