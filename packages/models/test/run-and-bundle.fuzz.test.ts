// Property-based fuzzing of run folders and packed bundles: real files written by saveRun and exportRun, then
// mutated (bit flips, truncation, JSON fields set to hostile values). Every outcome is either a model that is sound
// (finite weights, one output per class) or a ModelFileError / BundleError naming the folder and the mutated file;
// a corrupted file of a run with checksums, or of a bundle, never loads.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { BundleError, ModelFileError, bundleFromDirectory, exportRun, loadBundle, loadRun } from '@sketch-xnor/models';
import { expectCleanOutcome, fuzzParameters, fuzzTestTimeoutMs } from '../../../test/fuzz.js';
import { tinyRun } from './tiny-run.js';

const RUNS = 60;
const scratch = mkdtempSync(join(tmpdir(), 'models-fuzz-'));
const original = { run: new Map<string, Uint8Array>(), legacyRun: new Map<string, Uint8Array>(), bundle: new Map<string, Uint8Array>() };

beforeAll(async () => {
  await useBackend('wasm');
  const run = join(scratch, 'run');
  const bundle = join(scratch, 'bundle');
  await tinyRun(run);
  await exportRun(run, bundle);
  for (const name of ['model.json', 'weights.bin', 'run.json']) original.run.set(name, new Uint8Array(readFileSync(join(run, name))));
  for (const name of ['model.json', 'weights.bin', 'manifest.json']) original.bundle.set(name, new Uint8Array(readFileSync(join(bundle, name))));
  // a run written before checksums: run.json without "files"
  const { files: _files, ...legacy } = JSON.parse(new TextDecoder().decode(original.run.get('run.json')));
  original.legacyRun = new Map(original.run).set('run.json', new TextEncoder().encode(JSON.stringify(legacy)));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let cases = 0;
/** Writes the files into a fresh folder. */
function folderWith(files: ReadonlyMap<string, Uint8Array>): string {
  const dir = join(scratch, `case-${cases++}`);
  mkdirSync(dir);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return dir;
}

type Mutation = { kind: 'flip'; flips: Array<{ at: number; bit: number }> } | { kind: 'truncate'; keep: number };

/** A position in [0, 1), spread over the whole range (fc.double favours tiny values: only a file's first bytes). */
const fraction = fc.integer({ min: 0, max: 0xffffff }).map((n) => n / 0x1000000);

/** Bit flips at distinct places (so none cancels another), or a truncation; positions are fractions of the length. */
const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    flips: fc.uniqueArray(fc.record({ at: fraction, bit: fc.integer({ min: 0, max: 7 }) }), {
      minLength: 1,
      maxLength: 4,
      selector: (f) => f.at,
    }),
  }) as fc.Arbitrary<Mutation>,
  fc.record({ kind: fc.constant('truncate' as const), keep: fraction }) as fc.Arbitrary<Mutation>,
);

function mutateBytes(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  if (mutation.kind === 'truncate') return bytes.slice(0, Math.floor(mutation.keep * bytes.length));
  const out = new Uint8Array(bytes); // a copy (Buffer#slice would share the original)
  const places = new Set<number>();
  for (const { at, bit } of mutation.flips) {
    const i = Math.floor(at * bytes.length);
    if (places.has(i)) continue; // two flips of one byte could cancel
    places.add(i);
    out[i]! ^= 1 << bit;
  }
  return out;
}

/** Values a careless or hostile writer might put anywhere in a JSON file. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e308, -1, 0, 1e-320, 2 ** 53, 30000, 100000, 8000, 0.5, '', '../../etc/passwd', '/etc/passwd', '..\\secret', '%2e%2e%2fsecret', null, true, [], {}),
  fc.constant('x'.repeat(100_000)),
  fc.constant(Array.from({ length: 20_000 }, (_, i) => `c${i}`)),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Every path to a value inside `value` (objects and arrays), up to `limit` of them. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = [], limit = 2000): Array<Array<string | number>> {
  if (out.length >= limit || typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf(child, path, out, limit);
  }
  return out;
}

/** A JSON file with the value at one path (chosen by `pick`, a fraction) replaced by `value`, or deleted. */
function mutateJson(bytes: Uint8Array, pick: number, value: unknown, remove: boolean, allow: (path: Array<string | number>) => boolean): Uint8Array {
  const json = JSON.parse(new TextDecoder().decode(bytes));
  const paths = pathsOf(json).filter(allow);
  const path = paths[Math.floor(pick * paths.length)]!;
  let parent = json;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path.at(-1)!;
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return new TextEncoder().encode(JSON.stringify(json));
}

/** A loaded model must be sound: finite weights, one output per class. */
async function expectSound(model: tfl.LayersModel, classes: readonly string[]): Promise<void> {
  try {
    expect(model.outputs[0]!.shape.at(-1)).toBe(classes.length);
    for (const w of model.getWeights()) {
      if (w.dtype === 'float32') expect((await w.data()).every(Number.isFinite), `weight ${w.name} is finite`).toBe(true);
    }
  } finally {
    model.dispose();
  }
}

async function loadRunCase(files: ReadonlyMap<string, Uint8Array>, mutated: string) {
  const dir = folderWith(files);
  const outcome = await expectCleanOutcome(() => loadRun(dir), dir, [ModelFileError]);
  if (outcome.ok) await expectSound(outcome.value.model, outcome.value.info.classes);
  else expect(outcome.error.message, 'the error names the mutated file').toContain(mutated);
  rmSync(dir, { recursive: true });
  return outcome;
}

async function loadBundleCase(files: ReadonlyMap<string, Uint8Array>, mutated: string) {
  const dir = folderWith(files);
  const outcome = await expectCleanOutcome(() => loadBundle(bundleFromDirectory(dir)), dir, [BundleError]);
  if (outcome.ok) await expectSound(outcome.value.model, outcome.value.manifest.classes);
  else expect(outcome.error.message, 'the error names the mutated file').toContain(mutated);
  rmSync(dir, { recursive: true });
  return outcome;
}

const runFile = fc.constantFrom('model.json', 'weights.bin', 'run.json');
const bundleFile = fc.constantFrom('model.json', 'weights.bin', 'manifest.json');

describe('fuzzing run folders', () => {
  it(
    'flipped or cut bytes of model.json and weights.bin never load from a run with checksums; run.json damage is refused or harmless',
    async () => {
      await fc.assert(
        fc.asyncProperty(runFile, byteMutation, async (file, mutation) => {
          const files = new Map(original.run).set(file, mutateBytes(original.run.get(file)!, mutation));
          const outcome = await loadRunCase(files, file);
          if (file !== 'run.json') expect(outcome.ok, `a corrupted ${file} loaded`).toBe(false);
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );

  it(
    'a run written before checksums: damaged files are refused, or load with finite weights and matching classes',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('weights.bin', 'run.json'), byteMutation, async (file, mutation) => {
          await loadRunCase(new Map(original.legacyRun).set(file, mutateBytes(original.legacyRun.get(file)!, mutation)), file);
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );

  it(
    'hostile values in run.json, or in the weights manifest of model.json, are refused or harmless',
    async () => {
      // model.json's topology is TF.js's to read; its weights manifest and top-level fields are this package's
      const allowed = (file: string) => (path: Array<string | number>) => file !== 'model.json' || path[0] !== 'modelTopology' || path.length === 1;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('run.json', 'model.json'),
          fc.boolean(),
          fraction,
          hostileValue,
          fc.boolean(),
          async (file, legacy, pick, value, remove) => {
            // with checksums any change to model.json is refused by them; without, model.json itself is checked
            const base = legacy || file === 'model.json' ? original.legacyRun : original.run;
            await loadRunCase(new Map(base).set(file, mutateJson(base.get(file)!, pick, value, remove, allowed(file))), file);
          },
        ),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );
});

describe('fuzzing packed bundles', () => {
  it(
    'flipped or cut bytes never load from model.json or weights.bin; manifest.json damage is refused or harmless',
    async () => {
      await fc.assert(
        fc.asyncProperty(bundleFile, byteMutation, async (file, mutation) => {
          const outcome = await loadBundleCase(new Map(original.bundle).set(file, mutateBytes(original.bundle.get(file)!, mutation)), file);
          if (file !== 'manifest.json') expect(outcome.ok, `a corrupted ${file} loaded`).toBe(false);
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );

  it(
    'hostile values in manifest.json are refused or harmless',
    async () => {
      await fc.assert(
        fc.asyncProperty(fraction, hostileValue, fc.boolean(), async (pick, value, remove) => {
          await loadBundleCase(new Map(original.bundle).set('manifest.json', mutateJson(original.bundle.get('manifest.json')!, pick, value, remove, () => true)), 'manifest.json');
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTestTimeoutMs(RUNS),
  );
});
