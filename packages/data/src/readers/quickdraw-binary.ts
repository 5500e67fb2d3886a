// Quick, Draw!'s binary `.bin` format (simplified drawings), read as a stream of records:
//   key_id uint64 | country code 2 bytes | recognized uint8 | timestamp uint32 | n_strokes uint16 |
//   per stroke: n_points uint16, x uint8[n_points], y uint8[n_points]     (all little-endian)
// Problems are reported by record number (1-based) in the `line` field. A record declaring more points than a
// sketch has (MAX_POINTS_PER_SKETCH) is refused as soon as its counts say so: a pending record is then at most
// a few hundred KB, so each read chunk re-walks a bounded record and the whole file is read in linear time. As
// the format has no record markers, nothing after such a record can be found again: the rest is reported.
import { createReadStream } from 'node:fs';
import type { ProblemLog } from '../problems.js';
import type { Sketch, Stroke } from '../types.js';
import { MAX_POINTS_PER_SKETCH } from './drawing-limits.js';

const HEADER_BYTES = 8 + 2 + 1 + 4 + 2;

type Parsed =
  | { sketch: Omit<Sketch, 'label'>; bytes: number }
  | { problem: string; bytes: number }
  /** The record cannot be a sketch and its end cannot be trusted: reading stops. */
  | { fatal: string }
  | undefined;

/**
 * The bytes of the record at `offset` from its counts alone (nothing allocated), undefined when the buffer ends
 * before they are known, or the reason the counts are absurd.
 */
function recordBytes(buffer: Buffer, offset: number, strokeCount: number): number | { fatal: string } | undefined {
  let at = offset + HEADER_BYTES;
  let points = 0;
  for (let s = 0; s < strokeCount; s++) {
    if (buffer.length - at < 2) return undefined;
    points += buffer.readUInt16LE(at);
    if (points > MAX_POINTS_PER_SKETCH) return { fatal: `declares more than ${MAX_POINTS_PER_SKETCH} points: not a sketch` };
    at += 2 + 2 * buffer.readUInt16LE(at);
    if (at > buffer.length) return undefined;
  }
  return at - offset;
}

/** One record at `offset`, or undefined when the buffer ends before the record does. */
export function parseQuickDrawRecord(buffer: Buffer, offset: number): Parsed {
  if (buffer.length - offset < HEADER_BYTES) return undefined;
  const keyId = buffer.readBigUInt64LE(offset).toString();
  const strokeCount = buffer.readUInt16LE(offset + 15);
  const bytes = recordBytes(buffer, offset, strokeCount);
  if (bytes === undefined) return undefined;
  if (typeof bytes !== 'number') return { fatal: `record key_id ${keyId} ${bytes.fatal}` };
  let at = offset + HEADER_BYTES;
  const strokes: Stroke[] = [];
  let emptyStroke = -1;
  for (let s = 0; s < strokeCount; s++) {
    const points = buffer.readUInt16LE(at);
    at += 2;
    if (points === 0 && emptyStroke < 0) emptyStroke = s;
    strokes.push({ x: Float32Array.from(buffer.subarray(at, at + points)), y: Float32Array.from(buffer.subarray(at + points, at + 2 * points)) });
    at += 2 * points;
  }
  if (strokeCount === 0) return { problem: `empty drawing (no strokes) in record key_id ${keyId}`, bytes };
  if (emptyStroke >= 0) return { problem: `stroke ${emptyStroke} has no points in record key_id ${keyId}`, bytes };
  return { sketch: { id: keyId, strokes }, bytes };
}

export async function* readQuickDrawBinary(file: string, category: string, log: ProblemLog): AsyncGenerator<Sketch> {
  const input = createReadStream(file);
  let pending: Buffer = Buffer.alloc(0);
  let record = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      for (let parsed = parseQuickDrawRecord(pending, offset); parsed; parsed = parseQuickDrawRecord(pending, offset)) {
        record++;
        if ('fatal' in parsed) {
          log.report({ file, line: record, reason: `${parsed.fatal}; the rest of the file cannot be read` });
          return;
        }
        offset += parsed.bytes;
        if ('problem' in parsed) log.report({ file, line: record, reason: parsed.problem });
        else yield { label: category, ...parsed.sketch };
      }
      pending = pending.subarray(offset);
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'InputError') throw error;
    throw new Error(`${file}: cannot be read after record ${record} (${(error as Error).message})`, { cause: error });
  } finally {
    input.destroy();
  }
  if (pending.length > 0) log.report({ file, line: record + 1, reason: `truncated record: the file ends ${pending.length} byte(s) into it` });
}
