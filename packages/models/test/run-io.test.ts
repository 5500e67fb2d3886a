import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import { QuantConv2D } from '@sketch-xnor/binary-ops';
import { buildModel, listModels, saveRun, loadRun, initFromRun, ModelFileError } from '@sketch-xnor/models';

const scratch = mkdtempSync(join(tmpdir(), 'models-io-'));
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  await useBackend('cpu');
  // serves the scratch folder over HTTP, as a static host would
  server = createServer((req, res) => {
    const path = join(scratch, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (!path.startsWith(scratch) || !existsSync(path)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

let folders = 0;
const folder = () => join(scratch, `run-${folders++}`);
const OPTIONS = { classes: 4, inputSize: 64, width: 0.25 };
const CLASSES = ['cat', 'dog', 'house', 'tree'];
const x = () => tf.randomUniform([3, 64, 64, 1], 0, 1, 'float32', 1);
const predictions = (m: tfl.LayersModel) => Array.from((m.predict(x()) as tf.Tensor).dataSync());

/** A model whose BatchNorms hold trained-looking statistics, so a round trip that dropped them would show. */
function trainedLooking(name: string): tfl.LayersModel {
  const model = buildModel(name, OPTIONS);
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const [gamma, beta, mean, variance] = layer.getWeights();
    layer.setWeights([
      tf.randomUniform(gamma!.shape, 0.5, 1.5, 'float32', 1),
      tf.randomNormal(beta!.shape, 0, 0.1, 'float32', 2),
      tf.randomNormal(mean!.shape, 0, 0.5, 'float32', 3),
      tf.randomUniform(variance!.shape, 0.5, 2, 'float32', 4),
    ]);
  }
  return model;
}

describe('run folders and TF.js model files', () => {
  it('saveRun -> loadRun round-trips every variant with identical predictions, custom layers included', async () => {
    for (const name of listModels()) {
      const model = trainedLooking(name);
      const dir = folder();
      await saveRun(dir, model, { model: name, options: OPTIONS, classes: CLASSES, dataset: 'quickdraw' });
      expect(readdirSync(dir).sort(), 'no temporary files are left behind').toEqual(['model.json', 'run.json', 'weights.bin']);
      const { model: loaded, info } = await loadRun(dir);
      expect(info).toMatchObject({ model: name, options: OPTIONS, classes: CLASSES, dataset: 'quickdraw' });
      expect(predictions(loaded), name).toEqual(predictions(model));
      expect(loaded.layers.filter((l) => l instanceof QuantConv2D).length, name).toBe(name === 'sketch-a-net' ? 0 : 6);
      expect(loaded.countParams()).toBe(model.countParams());
    }
  });

  it('file:// works through TF.js itself in Node: model.save and tfl.loadLayersModel', async () => {
    const model = trainedLooking('sketch-a-net-xnor');
    const dir = folder();
    await model.save(`file://${dir}`);
    for (const url of [`file://${dir}/model.json`, `file://${dir}`]) {
      const loaded = await tfl.loadLayersModel(url);
      expect(predictions(loaded), url).toEqual(predictions(model));
    }
  });

  it('http(s):// works through TF.js own handler, and loadRun reads a run from a URL', async () => {
    const model = trainedLooking('sketch-a-net-bwn');
    const dir = folder();
    await saveRun(dir, model, { model: 'sketch-a-net-bwn', options: OPTIONS, classes: CLASSES });
    const url = `${baseUrl}/${dir.slice(scratch.length + 1)}`;
    expect(predictions(await tfl.loadLayersModel(`${url}/model.json`))).toEqual(predictions(model));
    const { model: loaded, info } = await loadRun(url);
    expect(info.classes).toEqual(CLASSES);
    expect(predictions(loaded)).toEqual(predictions(model));
    await expect(loadRun(`${baseUrl}/no-such-run`)).rejects.toThrow(`${baseUrl}/no-such-run/run.json: HTTP 404`);
  });

  it('names the missing, truncated or malformed file and what is wrong with it', async () => {
    const missing = folder();
    await expect(loadRun(missing)).rejects.toThrow(`${missing}/run.json is missing`);
    const dir = folder();
    await saveRun(dir, buildModel('sketch-a-net', OPTIONS), { model: 'sketch-a-net', options: OPTIONS, classes: CLASSES });
    const weights = readFileSync(join(dir, 'weights.bin'));
    const modelJson = readFileSync(join(dir, 'model.json'), 'utf8');
    const runJson = readFileSync(join(dir, 'run.json'), 'utf8');
    const expectRejects = async (pattern: string | RegExp) => {
      const error = await loadRun(dir).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as Error).message).toMatch(pattern);
    };

    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, 1000));
    await expectRejects(new RegExp(`^${dir}/weights\\.bin: 1000 bytes, but model\\.json lists ${weights.length} bytes of weights \\(truncated\\?\\)$`));
    rmSync(join(dir, 'weights.bin'));
    await expectRejects(`${dir}/weights.bin is missing`);
    writeFileSync(join(dir, 'weights.bin'), weights);

    writeFileSync(join(dir, 'model.json'), modelJson.slice(0, 200));
    await expectRejects(`${dir}/model.json is 200 bytes but run.json says ${modelJson.length} (truncated?)`);
    // without the checksums of run.json (a run saved before them), model.json itself is checked
    const { files: _checksums, ...legacyRun } = JSON.parse(runJson);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(legacyRun));
    await expectRejects(`${dir}/model.json: not valid JSON`);
    writeFileSync(join(dir, 'model.json'), modelJson.replace('"class_name":"Conv2D"', '"class_name":"BogusConv"'));
    await expectRejects(`${dir}/model.json: uses the layer class BogusConv, which is not registered (this package registers QuantConv2D, QuantDense, PackedConv2D, SparseConv2D;`);
    writeFileSync(join(dir, 'model.json'), '{"format":"graph-model"}');
    await expectRejects(`${dir}/model.json: not a TF.js layers model (no modelTopology or weightsManifest)`);
    writeFileSync(join(dir, 'model.json'), modelJson);

    writeFileSync(join(dir, 'run.json'), '');
    await expectRejects(`${dir}/run.json: not valid JSON`);
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ model: 'sketch-a-net', options: {} }));
    await expectRejects(`${dir}/run.json: has no "classes" list of names`);
    writeFileSync(join(dir, 'run.json'), runJson);
    await expect(loadRun(dir)).resolves.toMatchObject({ info: { model: 'sketch-a-net' } });
    await expect(saveRun(dir, buildModel('sketch-a-net', OPTIONS), { model: 'sketch-a-net', options: OPTIONS } as never)).rejects.toThrow(
      'saveRun: has no "classes" list of names',
    );
  });

  it('initFromRun copies a vanilla run into BWN and XNOR models by layer name, reporting what it skipped', async () => {
    const vanilla = buildModel('sketch-a-net', { ...OPTIONS, seed: 9 });
    const dir = folder();
    await saveRun(dir, vanilla, { model: 'sketch-a-net', options: OPTIONS, classes: CLASSES });
    const weightsOf = (m: tfl.LayersModel, layer: string) => m.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));

    const bwn = buildModel('sketch-a-net-bwn', OPTIONS);
    const tensors = tf.memory().numTensors;
    const report = await initFromRun(bwn, dir);
    expect(tf.memory().numTensors, 'the loaded source model is disposed').toBe(tensors);
    expect(report).toEqual({ copied: ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8'], skipped: [] });
    for (const layer of report.copied) expect(weightsOf(bwn, layer), layer).toEqual(weightsOf(vanilla, layer));

    const xnor = buildModel('sketch-a-net-xnor', { ...OPTIONS, classes: 5 });
    const fc8Before = weightsOf(xnor, 'fc8');
    const r2 = await initFromRun(xnor, vanilla);
    expect(r2.copied).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']);
    expect(r2.skipped).toContainEqual({ layer: 'fc8', why: 'shapes differ: source [1x1x128x4, 4], model [1x1x128x5, 5]' });
    expect(r2.skipped).toContainEqual({ layer: 'bn_conv2', why: 'not in the source model' });
    expect(weightsOf(xnor, 'fc8')).toEqual(fc8Before);
    expect(weightsOf(xnor, 'conv4')).toEqual(weightsOf(vanilla, 'conv4'));

    await expect(initFromRun(xnor, folder())).rejects.toThrow(/model\.json is missing/);
  });
});
