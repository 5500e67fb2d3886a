import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { bundleFromDirectory } from '@sketch-xnor/models';
import { describeLoadError, loadModel } from '../src/model-loader.js';
import { TINY_CLASSES, TINY_SIZE, writeTinyBundle, writeTinyRun } from './fixtures/tiny-models.js';

let root: string;
let original: { run: tfl.LayersModel; bundle: tfl.LayersModel };

beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'playground-models-'));
  original = { run: await writeTinyRun(join(root, 'run')), bundle: await writeTinyBundle(join(root, 'bundle')) };
});

/** A copy of a fixture folder, changed by `edit`, so each test breaks its own files. */
async function broken(which: 'run' | 'bundle', edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(join(root, `${which}-broken-`));
  await cp(join(root, which), dir, { recursive: true });
  await edit(dir);
  return dir;
}

async function loadError(dir: string): Promise<string> {
  try {
    await loadModel(bundleFromDirectory(dir));
  } catch (err) {
    return describeLoadError(err);
  }
  throw new Error(`${dir} loaded although it is broken`);
}

const input = () => tf.randomUniform([1, TINY_SIZE, TINY_SIZE, 1], 0, 1, 'float32', 7);

describe('loadModel', () => {
  it('loads a run folder: metadata from run.json and config.json, the same predictions as the saved model', async () => {
    const loaded = await loadModel(bundleFromDirectory(join(root, 'run')));
    expect(loaded.format).toBe('run');
    expect(loaded.meta).toEqual({ name: 'sketch-a-net', classes: TINY_CLASSES, input: { renderSize: 92, cropSize: TINY_SIZE, channels: 1 } });
    const weights = (await readFile(join(root, 'run', 'weights.bin'))).byteLength;
    expect(loaded.bytes).toBeGreaterThan(weights);
    const x = input();
    const got = (loaded.model.predict(x) as tf.Tensor).dataSync();
    const want = (original.run.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('loads a packed bundle (PackedConv2D layers) with the packed model outputs', async () => {
    const loaded = await loadModel(bundleFromDirectory(join(root, 'bundle')));
    expect(loaded.format).toBe('bundle');
    expect(loaded.meta.name).toBe('sketch-a-net-xnor');
    expect(loaded.model.layers.some((l) => l.getClassName() === 'PackedConv2D')).toBe(true);
    const x = input();
    const got = (loaded.model.predict(x) as tf.Tensor).dataSync();
    const want = (original.bundle.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('names the file and the problem for truncated weights', async () => {
    const run = await broken('run', async (dir) => {
      const bytes = await readFile(join(dir, 'weights.bin'));
      await writeFile(join(dir, 'weights.bin'), bytes.subarray(0, bytes.byteLength - 100));
    });
    expect(await loadError(run)).toMatch(/weights\.bin: \d+ bytes, but model\.json lists \d+ bytes of weights \(truncated\?\)/);
    const bundle = await broken('bundle', async (dir) => {
      const bytes = await readFile(join(dir, 'weights.bin'));
      await writeFile(join(dir, 'weights.bin'), bytes.subarray(0, 10));
    });
    expect(await loadError(bundle)).toMatch(/weights\.bin is 10 bytes but manifest\.json says \d+ \(truncated\?\)/);
  });

  it("checks a run folder as the models package does: run.json's checksums, file names inside the folder, finite weights", async () => {
    const flipped = await broken('run', async (dir) => {
      const bytes = await readFile(join(dir, 'weights.bin'));
      bytes[40] = bytes[40]! ^ 0xff;
      await writeFile(join(dir, 'weights.bin'), bytes);
    });
    const run = JSON.parse(await readFile(join(root, 'run', 'run.json'), 'utf8'));
    expect(run.files?.length, 'the fixture run records checksums').toBeGreaterThan(0);
    expect(await loadError(flipped)).toMatch(/weights\.bin.*(checksum|SHA-256)/i);
    const outside = await broken('run', async (dir) => {
      const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      modelJson.weightsManifest[0].paths = ['../weights.bin'];
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      const info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
      delete info.files; // as a run saved before checksums
      await writeFile(join(dir, 'run.json'), JSON.stringify(info));
    });
    expect(await loadError(outside)).toMatch(/model\.json: names the weight file "\.\.\/weights\.bin", which is not a plain file name/);
  });

  it('names a wrong manifest and a wrong run.json', async () => {
    const bundle = await broken('bundle', async (dir) => {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, format: 'something-else' }));
    });
    expect(await loadError(bundle)).toMatch(/manifest\.json: format is "something-else", expected "sketch-xnor-bundle"/);
    const notJson = await broken('bundle', (dir) => writeFile(join(dir, 'manifest.json'), '{"format": "sketch-xnor-bundle", '));
    expect(await loadError(notJson)).toMatch(/manifest\.json/);
    const run = await broken('run', async (dir) => {
      const info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
      await writeFile(join(dir, 'run.json'), JSON.stringify({ ...info, classes: [] }));
    });
    expect(await loadError(run)).toMatch(/run\.json: "classes" must be a non-empty list of class names/);
    const fewer = await broken('run', async (dir) => {
      const info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
      await writeFile(join(dir, 'run.json'), JSON.stringify({ ...info, classes: ['a', 'b'] }));
    });
    expect(await loadError(fewer)).toMatch(/model\.json: the model has 6 outputs but 2 class names/);
  });

  it('names an unknown layer', async () => {
    const run = await broken('run', async (dir) => {
      const text = await readFile(join(dir, 'model.json'), 'utf8');
      await writeFile(join(dir, 'model.json'), text.replace('"class_name":"MaxPooling2D"', '"class_name":"FancyPool2D"'));
    });
    // an edited model.json of a run that records its size and checksum is refused by them first
    expect(await loadError(run)).toMatch(/model\.json is \d+ bytes but run\.json says \d+|model\.json.*checksum/);
    const info = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
    delete info.files; // as a run saved before checksums
    await writeFile(join(run, 'run.json'), JSON.stringify(info));
    expect(await loadError(run)).toMatch(/model\.json: cannot build the model \(.*FancyPool2D/);
  });

  it('says what a folder with neither manifest.json nor run.json is missing', async () => {
    const empty = await mkdtemp(join(root, 'empty-'));
    expect(await loadError(empty)).toMatch(/neither a packed bundle \(manifest\.json: .*\) nor a run folder \(run\.json: .*\)/);
  });
});
