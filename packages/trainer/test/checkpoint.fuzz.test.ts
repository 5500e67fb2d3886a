// Property-based fuzzing of checkpoint files: a real checkpoint (saveCheckpoint of a tiny model and Adam) mutated by
// bit flips anywhere (header and payload), truncation, and header JSON fields set to hostile values. Every outcome is
// either exactly the original data or a CheckpointError naming the file; never other weights or a bare RangeError.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { Adam, CheckpointError, checkpointFile, loadCheckpoint, saveCheckpoint } from '../src/index.js';
import { decodeCheckpoint, type NamedTensorData } from '../src/checkpoint-file.js';
import { expectCleanOutcome, fuzzParameters, fuzzTestTimeoutMs } from '../../../test/fuzz.js';
import { tinyModel, useCpu } from './helpers.js';

const RUNS = 100;
const FILE = 'runs/fuzz/checkpoint.ckpt';
const scratch = mkdtempSync(join(tmpdir(), 'ckpt-fuzz-'));
let original: Uint8Array;
let originalTensors: NamedTensorData[];

beforeAll(async () => {
  await useCpu();
  const model = tinyModel();
  const adam = new Adam();
  // one real update so Adam's moments are in the checkpoint too
  const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.mean(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, weights);
  await adam.apply(weights, weights.map((w) => grads[w.name]!), 0.01);
  const position = { step: 1, epoch: 0, batch: 1, learningRate: 0.01, seed: 0, epochTotals: { lossSum: 1, correct: 0, samples: 2, batches: 1 } };
  await saveCheckpoint(scratch, model, adam, position);
  original = new Uint8Array(readFileSync(checkpointFile(scratch)));
  originalTensors = decodeCheckpoint(original, FILE).tensors;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));


/** A position in [0, 1), spread over the whole range (fc.double favours tiny values: only a file's first bytes). */
const fraction = fc.integer({ min: 0, max: 0xffffff }).map((n) => n / 0x1000000);
const headerLength = () => new DataView(original.buffer).getUint32(8, true);

/** Decoding must give back exactly the original tensors, or fail with a CheckpointError naming the file. */
async function expectOriginalOrRefused(bytes: Uint8Array): Promise<void> {
  const outcome = await expectCleanOutcome(() => decodeCheckpoint(bytes, FILE), FILE, [CheckpointError]);
  if (!outcome.ok) return;
  const { tensors } = outcome.value;
  expect(tensors.map((t) => [t.name, t.shape, t.dtype])).toEqual(originalTensors.map((t) => [t.name, t.shape, t.dtype]));
  tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from(originalTensors[i]!.data.buffer)), t.name).toBe(true));
}

/** Values a careless or hostile writer might put in the header. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e308, -1, 0, 1e-320, 2 ** 53, 2 ** 32, 22, 0.5, '', 'float64', null, true, [], {}, [1e9, 1e9], [-1]),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 10 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Every path to a value in the header JSON. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf(child, path, out);
  }
  return out;
}

/** The checkpoint with one header field replaced (or deleted) and, when `resign`, a fresh trailer checksum. */
function withHeaderField(pick: number, value: unknown, remove: boolean, resign: boolean): Uint8Array {
  const length = headerLength();
  const header = JSON.parse(new TextDecoder().decode(original.subarray(12, 12 + length)));
  const paths = pathsOf(header);
  const path = paths[Math.floor(pick * paths.length)]!;
  let parent = header;
  for (const key of path.slice(0, -1)) parent = parent[key];
  if (remove && !Array.isArray(parent)) delete parent[path.at(-1)!];
  else parent[path.at(-1)!] = value;
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payload = original.subarray(12 + length, original.length - 32);
  const out = new Uint8Array(12 + headerBytes.length + payload.length + 32);
  out.set(original.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  out.set(payload, 12 + headerBytes.length);
  const trailer = resign ? createHash('sha256').update(out.subarray(0, out.length - 32)).digest() : original.subarray(original.length - 32);
  out.set(trailer, out.length - 32);
  return out;
}

describe('fuzzing checkpoint files', () => {
  it(
    'bit flips anywhere (header, payload, trailer) give the original data or a CheckpointError',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.record({ at: fraction, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 4, selector: (f) => f.at }),
          fc.boolean(),
          async (flips, inHeader) => {
            const bytes = new Uint8Array(original);
            // half the cases aim at the header, where one bit changes an offset or a shape
            const span = inHeader ? 12 + headerLength() : bytes.length;
            const flipped = new Set<number>();
            for (const { at, bit } of flips) {
              const i = Math.floor(at * span);
              if (flipped.has(i)) continue; // two flips of one byte could cancel
              flipped.add(i);
              bytes[i]! ^= 1 << bit;
            }
            await expectOriginalOrRefused(bytes);
            expect(() => decodeCheckpoint(bytes, FILE), 'a flipped bit is always detected').toThrow(CheckpointError);
          },
        ),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );

  it(
    'truncation at any length is a CheckpointError naming the file',
    async () => {
      await fc.assert(
        fc.asyncProperty(fraction, async (keep) => {
          const bytes = original.slice(0, Math.floor(keep * original.length));
          await expectOriginalOrRefused(bytes);
          expect(() => decodeCheckpoint(bytes, FILE)).toThrow(CheckpointError);
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );

  it(
    'hostile header fields: refused by the checksum; with a fresh checksum, refused entry by entry or harmless',
    async () => {
      await fc.assert(
        fc.asyncProperty(fraction, hostileValue, fc.boolean(), fc.boolean(), async (pick, value, remove, resign) => {
          const bytes = withHeaderField(pick, value, remove, resign);
          if (!resign) {
            expect(() => decodeCheckpoint(bytes, FILE)).toThrow(CheckpointError);
            return;
          }
          // a crafted file (or a buggy writer) with a valid checksum: the tensor table is still checked against
          // the payload, so what loads is the original bytes (possibly under another name or shape of the same size)
          const outcome = await expectCleanOutcome(() => decodeCheckpoint(bytes, FILE), FILE, [CheckpointError]);
          if (outcome.ok) {
            const joined = Buffer.concat(outcome.value.tensors.map((t) => Buffer.from(t.data.buffer)));
            expect(joined.equals(Buffer.concat(originalTensors.map((t) => Buffer.from(t.data.buffer))))).toBe(true);
            outcome.value.tensors.forEach((t) => expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1)));
          }
          // loadCheckpoint also checks the training state the header describes
          const file = join(scratch, `hostile-${Math.floor(pick * 1e9)}.ckpt`);
          writeFileSync(file, bytes);
          await expectCleanOutcome(() => loadCheckpoint(file), file, [CheckpointError]);
          rmSync(file);
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );
});
