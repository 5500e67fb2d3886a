// What a run folder or a bundle may not smuggle in: weight files outside the folder, corrupted or non-finite
// weights, and manifests or run files whose fields do not fit the model or exceed the limits.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { packModel } from '@sketch-xnor/binary-ops';
import {
  BundleError,
  MAX_CLASSES,
  MAX_RENDER_SIZE,
  ModelFileError,
  bundleFiles,
  bundleFromDirectory,
  bundleFromFiles,
  checkFileName,
  exportRun,
  filesSource,
  loadBundle,
  loadModel,
  loadRun,
  readModelArtifacts,
  saveRun,
  urlSource,
  validateManifest,
  writeBundleFiles,
} from '@sketch-xnor/models';
import { tinyRun, TINY_CLASSES } from './tiny-run.js';

const scratch = mkdtempSync(join(tmpdir(), 'models-integrity-'));
let folders = 0;
const folder = () => join(scratch, `case-${folders++}`);

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path: string, value: unknown) => writeFileSync(path, JSON.stringify(value));
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(Error);
  return error as Error;
}

/** A run folder whose model.json names `path` as its weight file, with a secret file beside the folder. */
async function runNaming(path: string): Promise<string> {
  const dir = folder();
  await tinyRun(dir);
  writeFileSync(join(dir, '..', 'secret.bin'), readFileSync(join(dir, 'weights.bin')));
  const modelJson = readJson(join(dir, 'model.json'));
  modelJson.weightsManifest[0].paths = [path];
  writeJson(join(dir, 'model.json'), modelJson);
  const run = readJson(join(dir, 'run.json'));
  delete run.files; // as a run written before checksums: only the file-name check stands in the way
  writeJson(join(dir, 'run.json'), run);
  return dir;
}

describe('weight files stay inside the run folder or bundle', () => {
  const hostile = ['../secret.bin', '../../etc/passwd', '/etc/passwd', '..\\secret.bin', '%2e%2e%2fsecret.bin', 'sub/../../secret.bin', '..', ''];

  it.each(hostile)('a run folder whose model.json names %j is refused, naming model.json and the path', async (path) => {
    const dir = await runNaming(path);
    for (const load of [() => loadRun(dir), () => loadModel(dir)]) {
      const error = await rejection(load());
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error.message).toContain(`${dir}/model.json`);
      expect(error.message).toContain(JSON.stringify(path));
    }
    await expect(exportRun(dir, folder())).rejects.toThrow(ModelFileError);
  });

  it('the check is shared by every source: URL and picked files too', async () => {
    const dir = await runNaming('../secret.bin');
    const files = ['model.json', 'weights.bin', 'run.json'].map((name) => new File([readFileSync(join(dir, name))], name));
    const picked = await rejection(readModelArtifacts(filesSource(files)));
    expect(picked).toBeInstanceOf(ModelFileError);
    expect(picked.message).toMatch(/model\.json: names the weight file "\.\.\/secret\.bin"/);
    // a URL source refuses the name before any request is made (the host below does not exist)
    const remote = urlSource('http://models.invalid/run');
    const error = await rejection(remote.read('../../secret.bin'));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain('"../../secret.bin"');
    expect(() => checkFileName('weights.bin', 'x/model.json')).not.toThrow();
    expect(() => checkFileName('group1-shard1of2.bin', 'x/model.json')).not.toThrow();
  });

  it('a bundle whose model.json names a file outside it is refused before the file is read', async () => {
    const dir = folder();
    const run = folder();
    await tinyRun(run);
    await exportRun(run, dir);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = readJson(manifestPath);
    const modelJson = readJson(join(dir, 'model.json'));
    modelJson.weightsManifest[0].paths = ['../secret.bin'];
    const modelBytes = new TextEncoder().encode(JSON.stringify(modelJson));
    writeFileSync(join(dir, 'model.json'), modelBytes);
    const { sha256Hex } = await import('@sketch-xnor/models');
    manifest.files[0] = { path: 'model.json', bytes: modelBytes.byteLength, sha256: await sha256Hex(modelBytes) };
    writeJson(manifestPath, manifest);
    const error = await rejection(loadBundle(bundleFromDirectory(dir)));
    expect(error).toBeInstanceOf(BundleError);
    expect(error.message).toContain(`${dir}/model.json: names the weight file "../secret.bin"`);
  });
});

describe('run folders record and verify checksums', () => {
  it('saveRun records the size and SHA-256 of model.json and weights.bin in run.json', async () => {
    const dir = folder();
    await tinyRun(dir);
    const { files } = readJson(join(dir, 'run.json'));
    expect(files.map((f: { path: string }) => f.path)).toEqual(['weights.bin', 'model.json']);
    for (const f of files) {
      expect(f.bytes).toBe(readFileSync(join(dir, f.path)).byteLength);
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('a flipped byte in weights.bin or model.json is refused by loadRun, loadModel and exportRun', async () => {
    for (const file of ['weights.bin', 'model.json']) {
      const dir = folder();
      await tinyRun(dir);
      const bytes = readFileSync(join(dir, file));
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(join(dir, file), bytes);
      for (const load of [() => loadRun(dir), () => loadModel(dir), () => exportRun(dir, folder())]) {
        const error = await rejection(load());
        expect(error).toBeInstanceOf(ModelFileError);
        expect(error.message).toBe(`${dir}/${file}: checksum mismatch with run.json (the file is corrupt or was changed)`);
      }
    }
  });

  it('a run written before checksums still loads, but NaN or Infinity in its weights is refused, naming the file and weight', async () => {
    const dir = folder();
    const { model } = await tinyRun(dir);
    const run = readJson(join(dir, 'run.json'));
    delete run.files;
    writeJson(join(dir, 'run.json'), run);
    const { model: loaded } = await loadRun(dir);
    expect(loaded.countParams()).toBe(model.countParams());

    const weights = readFileSync(join(dir, 'weights.bin'));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const corrupt = Buffer.from(weights);
      corrupt.writeFloatLE(bad, 8); // the third value of the first weight
      writeFileSync(join(dir, 'weights.bin'), corrupt);
      const error = await rejection(loadRun(dir));
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error.message).toMatch(new RegExp(`^${dir}/weights\\.bin: weight conv1/kernel holds ${bad} at element 2`));
    }
  });
});

describe("model.json's topology is checked against its weights before TF.js builds it", () => {
  /** A run from before checksums (so model.json may be edited) with one change to its topology. */
  async function editedTopology(edit: (layers: Array<{ class_name: string; config: Record<string, unknown> }>) => void): Promise<string> {
    const dir = folder();
    await tinyRun(dir);
    const run = readJson(join(dir, 'run.json'));
    delete run.files;
    writeJson(join(dir, 'run.json'), run);
    const modelJson = readJson(join(dir, 'model.json'));
    edit(modelJson.modelTopology.config.layers);
    writeJson(join(dir, 'model.json'), modelJson);
    return dir;
  }

  it.each([
    ['filters 1e9 on conv1', (l: Array<{ config: Record<string, unknown> }>) => (l[0]!.config.filters = 1e9), /layer "conv1" \(Conv2D\): filters 1000000000, but its kernel in the weights is \[3, 3, 1, 4\]/],
    ['units 5000000 on fc8', (l: Array<{ config: Record<string, unknown> }>) => (l.at(-1)!.config.units = 5_000_000), /layer "fc8" \(Dense\): units 5000000, but its kernel in the weights is \[200, 3\]/],
    ['kernel_size [999, 999]', (l: Array<{ config: Record<string, unknown> }>) => (l[0]!.config.kernel_size = [999, 999]), /layer "conv1" \(Conv2D\): kernel_size \[999, 999\], but its kernel/],
    ['an input of a million channels', (l: Array<{ config: Record<string, unknown> }>) => (l[0]!.config.batch_input_shape = [null, 12, 12, 1_000_000]), /input shape \[, 12, 12, 1000000\] is beyond/],
    ['a layer renamed away from its weights', (l: Array<{ config: Record<string, unknown> }>) => (l[2]!.config.name = 'conv9'), /layer "conv9" \(QuantConv2D\) has filters 8 but model.json lists no weights for it/],
  ])('%s is refused, naming model.json and the layer', async (_, edit, message) => {
    const dir = await editedTopology(edit);
    for (const load of [() => loadRun(dir), () => loadModel(dir)]) {
      const error = await rejection(load());
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error.message.startsWith(`${dir}/model.json: `), error.message).toBe(true);
      expect(error.message).toMatch(message);
    }
  });
});

describe('run.json and manifest.json fields are validated', () => {
  it('run.json classes that do not match the model outputs are refused', async () => {
    const dir = folder();
    await tinyRun(dir);
    const run = readJson(join(dir, 'run.json'));
    writeJson(join(dir, 'run.json'), { ...run, classes: [...TINY_CLASSES, 'extra'], options: { ...run.options, classes: 4 } });
    const error = await rejection(loadRun(dir));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toBe(`${dir}/run.json: lists 4 classes, but the model in model.json has 3 outputs`);
  });

  it.each([
    ['no classes', 'classes', [], /"classes" is an empty list/],
    ['a class twice', 'classes', ['a', 'a', 'b'], /class "a" is listed twice/],
    ['a class name of 1000 characters', 'classes', ['a', 'x'.repeat(1000), 'c'], /class 1 is 1000 characters long/],
    ['too many classes', 'classes', Array.from({ length: MAX_CLASSES + 1 }, (_, i) => `c${i}`), new RegExp(`lists ${MAX_CLASSES + 1} classes, more than ${MAX_CLASSES}`)],
    ['an empty model name', 'model', '', /has no "model" name/],
    ['inputSize 1e9', 'options', { classes: 3, inputSize: 1e9 }, /options\.inputSize must be an integer from 1 to 2048/],
    ['deeply nested options', 'options', { classes: 3, width: { a: { b: { c: { d: { e: 1 } } } } } }, /options\.width\.a\.b\.c is nested too deeply/],
    ['options.classes not counting the classes', 'options', { classes: 2 }, /options\.classes is 2, but "classes" lists 3 names/],
    ['renderSize 100000', 'input', { renderSize: 100000, cropSize: 8 }, /input\.renderSize must be an integer from 1 to 2048/],
    ['a render smaller than the crop', 'input', { renderSize: 4, cropSize: 8 }, /input\.renderSize 4 is smaller than input\.cropSize 8/],
    ['a checksum of a file outside the folder', 'files', [{ path: '../weights.bin', bytes: 1, sha256: 'a'.repeat(64) }], /names the file "\.\.\/weights\.bin"/],
  ] as const)('run.json with %s is refused', async (_, field, value, message) => {
    const dir = folder();
    await tinyRun(dir);
    const run = readJson(join(dir, 'run.json'));
    writeJson(join(dir, 'run.json'), { ...run, [field]: value });
    const error = await rejection(loadRun(dir));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(`${dir}/run.json: `);
    expect(error.message).toMatch(message);
  });

  it('what runs and bundles hold today is accepted: CLI input, default input, quantizer options', async () => {
    const manifest = {
      format: 'sketch-xnor-bundle',
      version: 1,
      model: 'sketch-a-net-xnor',
      options: { classes: 2, inputSize: 84, width: 0.5, channels: 1, seed: 1, kernelQuantizer: { name: 'dorefa', bits: 2 }, inputQuantizer: null },
      classes: ['a', 'b'],
      floatWeights: 'float32',
      layers: [{ name: 'conv1', action: 'copied' }, { name: 'conv2', action: 'packed-xnor', why: 'binary' }],
      input: { renderSize: 96, cropSize: 84, channels: 1, augment: false },
      files: [{ path: 'model.json', bytes: 10, sha256: 'a'.repeat(64) }, { path: 'weights.bin', bytes: 20, sha256: 'b'.repeat(64) }],
      source: { run: '/tmp/runs/xnor', floatBytes: 2145249 },
    };
    expect(validateManifest(manifest, 'm.json')).toBe(manifest);
    expect(validateManifest({ ...manifest, input: { inputSize: 84, channels: 1 } }, 'm.json').input).toEqual({ inputSize: 84, channels: 1 });
    expect(validateManifest({ ...manifest, input: undefined, source: undefined }, 'm.json').model).toBe('sketch-a-net-xnor');
    const playgroundDefault = readJson(new URL('../../../apps/playground/public/models/default/binary/manifest.json', import.meta.url).pathname);
    expect(() => validateManifest(playgroundDefault, 'default/manifest.json')).not.toThrow();
  });

  it.each([
    ['renderSize 100000', { input: { renderSize: 100000, cropSize: 84 } }, /input\.renderSize must be an integer from 1 to 2048/],
    ['renderSize 30000', { input: { renderSize: 30000, cropSize: 84 } }, /input\.renderSize must be an integer from 1 to 2048/],
    ['fractional cropSize', { input: { renderSize: 96, cropSize: 84.5 } }, /input\.cropSize must be an integer/],
    ['channels 0', { input: { renderSize: 96, cropSize: 84, channels: 0 } }, /input\.channels must be an integer from 1 to 16/],
    ['floatWeights', { floatWeights: 'float64' }, /floatWeights must be "float32" or "uint8"/],
    ['layers', { layers: [{ name: 5, action: 'copied' }] }, /layers\[0\]\.name must be a string/],
    ['layers not an array', { layers: 'all' }, /layers must be an array/],
    ['too many files', { files: Array.from({ length: 65 }, (_, i) => ({ path: `f${i}`, bytes: 1, sha256: 'a'.repeat(64) })) }, /lists 65 files, more than 64/],
    ['a duplicated file', { files: [{ path: 'model.json', bytes: 1, sha256: 'a'.repeat(64) }, { path: 'model.json', bytes: 1, sha256: 'a'.repeat(64) }] }, /lists model\.json twice/],
    ['source', { source: { floatBytes: -1 } }, /source\.floatBytes must be a non-negative integer/],
    ['an option object', { options: { classes: 2, seed: Number.NaN } }, /options\.seed must be/],
    ['classes not strings', { classes: [1, 2] }, /has no "classes" list of names/],
  ])('a manifest with %s is refused', (_, change, message) => {
    const manifest = {
      format: 'sketch-xnor-bundle',
      version: 1,
      model: 'm',
      options: { classes: 2 },
      classes: ['a', 'b'],
      floatWeights: 'float32',
      layers: [],
      files: [{ path: 'model.json', bytes: 10, sha256: 'a'.repeat(64) }],
      ...change,
    };
    expect(() => validateManifest(manifest, 'b/manifest.json')).toThrow(BundleError);
    expect(() => validateManifest(manifest, 'b/manifest.json')).toThrow(message);
  });

  it('a bundle whose classes do not match the model outputs is refused by loadBundle', async () => {
    const run = folder();
    const { model } = await tinyRun(run);
    const { model: packed } = packModel(model);
    const info = { model: 'tiny', options: {}, classes: ['a', 'b'] };
    const dir = folder();
    await writeBundleFiles(dir, await bundleFiles(packed, info));
    const error = await rejection(loadBundle(bundleFromDirectory(dir)));
    expect(error).toBeInstanceOf(BundleError);
    expect(error.message).toBe(`${dir}/manifest.json: lists 2 classes, but the model in model.json has 3 outputs`);
    const files = await bundleFiles(packed, { ...info, classes: [...TINY_CLASSES] });
    const picked = [...files].map(([name, bytes]) => new File([bytes], name));
    await expect(loadBundle(bundleFromFiles(picked))).resolves.toMatchObject({ manifest: { classes: TINY_CLASSES } });
  });

  it('saveRun refuses classes that do not match the model, before writing anything', async () => {
    const dir = folder();
    mkdirSync(dir);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3 })] });
    await expect(saveRun(dir, model, { model: 'tiny', options: {}, classes: ['a', 'b'] })).rejects.toThrow(
      'saveRun: lists 2 classes, but the model has 3 outputs',
    );
    expect(MAX_RENDER_SIZE).toBe(2048);
  });
});
