// The browser faces of @sketch-xnor/data and @sketch-xnor/models (src/browser.ts, the `browser` export condition):
// (1) each bundles for the browser with NO stubs (Vite, as an app would): any Node built-in imported anywhere below it
//     fails this test, and a browser bundler resolving the published package gets dist/browser.js;
// (2) each is the public face minus a known Node-only list, sharing the very same functions;
// (3) what differs per platform behaves like the Node build: datasets, the batch stream and run loading by URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'vite';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@sketch-xnor/backends';
import * as dataNode from '../../packages/data/src/index.js';
import * as dataBrowser from '../../packages/data/src/browser.js';
import * as modelsNode from '../../packages/models/src/index.js';
import * as modelsBrowser from '../../packages/models/src/browser.js';
import { buildIfMissing, repoRoot } from '../../scripts/packages.mjs';

const sharedData = resolve(process.env.SKETCH_XNOR_SHARED ?? resolve(repoRoot, '../shared'), 'data');
const peers = /^@tensorflow\//;
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier) || builtinModules.includes(specifier.split('/')[0]!);

/** A package's source face for a browser: its browser.ts when it has one (as its `browser` condition says), else index.ts. */
function sourceFace(dir: string): string {
  const browser = join(repoRoot, 'packages', dir, 'src', 'browser.ts');
  return existsSync(browser) ? browser : join(repoRoot, 'packages', dir, 'src', 'index.ts');
}

interface BrowserBundle {
  /** `<specifier> (imported by <file>)` for every Node built-in the bundle would need. */
  nodeImports: string[];
  /** The files of the module graph (tree-shaken ones included), relative to the repository root. */
  inputs: string[];
}

const APP = '\0browser-app';

/**
 * Bundles `contents` for the browser with Vite, as a user's app would (TF.js peers left to the app). Node
 * built-ins are recorded, not stubbed, so one failure lists them all with their importers. `fromSource` takes
 * workspace packages from src/ (no build needed); otherwise they resolve through node_modules and their
 * `exports` maps, with Vite's browser conditions.
 */
async function bundleForBrowser(contents: string, fromSource: boolean): Promise<BrowserBundle> {
  const nodeImports: string[] = [];
  const inputs: string[] = [];
  const guard: Plugin = {
    name: 'no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === APP) return APP;
      if (isBuiltin(source)) {
        nodeImports.push(`${source} (imported by ${relative(repoRoot, importer ?? '?')})`);
        return { id: source, external: true };
      }
      if (peers.test(source)) return { id: source, external: true };
      const workspace = /^@sketch-xnor\/([\w-]+)$/.exec(source);
      return fromSource && workspace ? sourceFace(workspace[1]!) : null;
    },
    load: (id) => (id === APP ? contents : null),
    buildEnd() {
      for (const id of this.getModuleIds()) if (!id.startsWith('\0') && !this.getModuleInfo(id)?.isExternal) inputs.push(relative(repoRoot, id.split('?')[0]!));
    },
  };
  await build({
    root: repoRoot,
    configFile: false,
    logLevel: 'silent',
    plugins: [guard],
    build: { write: false, minify: false, rollupOptions: { input: APP, preserveEntrySignatures: 'strict' } },
  });
  return { nodeImports, inputs };
}

describe.each(['data', 'models'])('the browser face of @sketch-xnor/%s', (dir) => {
  it('bundles for the browser from source without any Node built-in, and without the Node-only dependencies', async () => {
    const bundle = await bundleForBrowser(`export * from '@sketch-xnor/${dir}';`, true);
    expect(bundle.nodeImports).toEqual([]);
    expect(bundle.inputs).toContain(`packages/${dir}/src/browser.ts`);
    expect(bundle.inputs).not.toContain(`packages/${dir}/src/index.ts`);
    expect(bundle.inputs.filter((file) => /node_modules\/(piscina|pngjs|yauzl)\//.test(file))).toEqual([]);
  });

  it('is what a browser bundler gets from the built package (the `browser` export condition)', async () => {
    buildIfMissing();
    if (!existsSync(join(repoRoot, 'packages', dir, 'dist', 'browser.js'))) {
      execFileSync('npx', ['nx', 'run', `${dir}:build`, '--outputStyle=static'], { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
    }
    const bundle = await bundleForBrowser(`export * from '@sketch-xnor/${dir}';`, false);
    expect(bundle.nodeImports).toEqual([]);
    expect(bundle.inputs).toContain(`packages/${dir}/dist/browser.js`);
    expect(bundle.inputs).not.toContain(`packages/${dir}/dist/index.js`);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8'));
    // Node takes `import`: the full face.
    expect(manifest.exports['.']).toMatchObject({ browser: './dist/browser.js', import: './dist/index.js' });
  });
});

/** Names (values and types) in a face's `export { ... } from` lists. */
function exportedNames(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap(([, list]) =>
    list!
      .split(',')
      .map((item) => item.trim().replace(/^type\s+/, '').split(/\s+as\s+/).at(-1)!.trim())
      .filter(Boolean),
  );
}

const faces = {
  data: {
    node: dataNode as Record<string, unknown>,
    browser: dataBrowser as Record<string, unknown>,
    nodeOnly: [
      'decodePng', 'decodePngRgba', 'MAX_PNG_SIDE', 'MAX_PNG_PIXELS', 'MAX_PNG_BYTES',
      'downloadFile', 'DownloadError', 'DOWNLOAD_IDLE_TIMEOUT_MS', 'DOWNLOAD_VERIFY_BYTES', 'DOWNLOAD_VERIFY_LINES',
      'downloadQuickDraw', 'downloadTuBerlin', 'extractZip', 'MAX_EXTRACT_BYTES', 'MAX_EXTRACT_ENTRIES',
    ],
    perPlatform: ['openDataset', 'registerDataset', 'getDataset', 'listDatasets', 'createBatchStream'],
  },
  models: {
    node: modelsNode as Record<string, unknown>,
    browser: modelsBrowser as Record<string, unknown>,
    nodeOnly: ['fileSystemIO', 'registerFileSystemIO', 'directorySource', 'writeFileAtomic', 'saveRun', 'bundleFromDirectory', 'writeBundleFiles', 'exportRun', 'importMatConvNet', 'readMatFile', 'MatFileError', 'MAT_MAX_DEPTH', 'sketchANetFromMatConvNet', 'columnMajorToRowMajor'],
    perPlatform: ['loadRun', 'loadModel', 'readRunInfo', 'runSource', 'initFromRun'],
  },
};

describe.each(Object.entries(faces))('@sketch-xnor/%s: browser face against the Node face', (dir, face) => {
  it('exports everything but the Node-only list, sharing the same functions (one module instance, one registry)', () => {
    const nodeNames = Object.keys(face.node).sort();
    const browserNames = Object.keys(face.browser).sort();
    // A new export of index.ts fails here until it is added to browser.ts or listed as Node-only.
    expect(nodeNames.filter((name) => !browserNames.includes(name))).toEqual([...face.nodeOnly].sort());
    expect(browserNames.filter((name) => !nodeNames.includes(name))).toEqual([]);
    const differing = browserNames.filter((name) => face.browser[name] !== face.node[name]);
    expect(differing.sort()).toEqual([...face.perPlatform].sort());
  });

  it('exports only names (types included) that the Node face exports, so index.d.ts describes it', () => {
    const index = new Set(exportedNames(join(repoRoot, 'packages', dir, 'src', 'index.ts')));
    expect(exportedNames(join(repoRoot, 'packages', dir, 'src', 'browser.ts')).filter((name) => !index.has(name))).toEqual([]);
  });
});

describe('@sketch-xnor/data in a browser', () => {
  const quickDrawFile = join(sharedData, 'quickdraw-345', 'cat.ndjson');

  /** What a page does with a fetched Quick, Draw! file: parse it line by line with parseQuickDrawLine. */
  function parseFetchedText(text: string, label: string, name: string, limit: number): dataBrowser.Sketch[] {
    const sketches: dataBrowser.Sketch[] = [];
    for (const [index, line] of text.split('\n').entries()) {
      if (sketches.length === limit) break;
      if (!line.trim()) continue;
      const parsed = dataBrowser.parseQuickDrawLine(line);
      if (typeof parsed === 'string') throw new Error(`${name}:${index + 1}: ${parsed}`);
      sketches.push({ label, id: parsed.keyId ?? `${name}:${index + 1}`, strokes: parsed.strokes });
    }
    return sketches;
  }

  it('turns fetched Quick, Draw! text into the same batches as the Node reader and stream (train and test views)', async () => {
    const fromNode = await dataNode.collectSketches((await dataNode.openDataset({ kind: 'quickdraw', path: quickDrawFile })).sketches(), { perCategory: 6 });
    const fromText = parseFetchedText(readFileSync(quickDrawFile, 'utf8'), 'cat', 'cat.ndjson', 6);
    expect(fromText).toEqual(fromNode);
    const sample: dataBrowser.SampleOptions = { renderSize: 64, cropSize: 56, channels: 1, augment: {} };
    for (const mode of ['train', 'test'] as const) {
      const options = { sketches: fromText, sample, batchSize: 4, seed: 3, epochs: mode === 'train' ? 2 : 1, mode, workers: 0 };
      const [inPage, inNode] = [dataBrowser.createBatchStream(options), dataNode.createBatchStream(options)];
      const pageBatches = [];
      for await (const batch of inPage) pageBatches.push(batch);
      const nodeBatches = [];
      for await (const batch of inNode) nodeBatches.push(batch);
      expect(pageBatches.length, mode).toBe(mode === 'train' ? 4 : 2);
      expect(pageBatches, mode).toEqual(nodeBatches);
      // Real pixels, not empty images.
      expect(pageBatches[0]!.images.some((v) => v > 0.5), mode).toBe(true);
      await inNode.close();
    }
  });

  it('prepares batches in-process and says so when asked for worker threads; loads a pipeline module by URL', async () => {
    const sketches = [...dataBrowser.generateSynthetic({ perCategory: 2, seed: 1 })];
    const pipeline = new URL('../../packages/data/test/stream-test-pipeline.ts', import.meta.url);
    const stream = dataBrowser.createBatchStream({ sketches, sample: { cropSize: 32 }, batchSize: 5, workers: 2, pipeline });
    const batches = [];
    for await (const batch of stream) batches.push(batch);
    expect(stream.workers).toBe(0);
    expect(stream.workerNote).toMatch(/Node-only.*in-process instead of 2 worker/);
    const reference = dataNode.createBatchStream({ sketches, sample: { cropSize: 32 }, batchSize: 5, workers: 0, pipeline });
    const expected = [];
    for await (const batch of reference) expected.push(batch);
    expect(batches).toEqual(expected);
    await expect(dataBrowser.createBatchStream({ sketches, sample: {}, batchSize: 5, workers: -1 })[Symbol.asyncIterator]().next()).rejects.toThrow(/workers must be an integer >= 0/);
  });

  it('opens the synthetic dataset like the Node build, and says what to use instead of the file readers', async () => {
    expect(dataBrowser.listDatasets()).toEqual(['synthetic']);
    const options = { kind: 'synthetic', perCategory: 3, seed: 5, categories: ['star', 'heart'] };
    const [inPage, inNode] = [await dataBrowser.openDataset(options), await dataNode.openDataset(options)];
    expect(inPage.categories).toEqual(['star', 'heart']);
    expect(await dataBrowser.collectSketches(inPage.sketches())).toEqual(await dataNode.collectSketches(inNode.sketches()));
    await expect(dataBrowser.openDataset({ kind: 'quickdraw', path: quickDrawFile })).rejects.toThrow(/quickdraw dataset reads files and is only in the Node build.*parseQuickDrawLine/);
    expect(() => dataBrowser.getDataset('tu-berlin-png')).toThrow(/Node build.*createImageBitmap/);
    expect(() => dataBrowser.getDataset('no-such-kind')).toThrow(/no-such-kind/);
  });
});

describe('@sketch-xnor/models in a browser', () => {
  const OPTIONS = { classes: 3, inputSize: 64, width: 0.25 };
  let scratch = '';
  let server: Server;
  let baseUrl = '';

  beforeAll(async () => {
    await useBackend('cpu');
    scratch = mkdtempSync(join(tmpdir(), 'browser-entries-'));
    // A static host for the run folders the Node build saves.
    server = createServer((request, response) => {
      const file = join(scratch, decodeURIComponent(new URL(request.url!, 'http://host').pathname));
      if (!file.startsWith(scratch) || !existsSync(file)) return void response.writeHead(404).end('not found');
      response.writeHead(200).end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => server?.close(done));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const predict = (model: tfl.LayersModel) => tf.tidy(() => Array.from((model.predict(tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 7)) as tf.Tensor).dataSync()));

  it('loads a run saved by Node from its URL, predicting as the saved model, and initializes another model from it', async () => {
    const model = modelsBrowser.buildModel('sketch-a-net-xnor', OPTIONS);
    await modelsNode.saveRun(join(scratch, 'run'), model, { model: 'sketch-a-net-xnor', options: OPTIONS, classes: ['cat', 'dog', 'tree'] });
    const { model: loaded, info } = await modelsBrowser.loadRun(`${baseUrl}/run`);
    expect(info).toMatchObject({ model: 'sketch-a-net-xnor', classes: ['cat', 'dog', 'tree'] });
    expect(predict(loaded)).toEqual(predict(model));
    const fresh = modelsBrowser.buildModel('sketch-a-net-xnor', OPTIONS);
    const report = await modelsBrowser.initFromRun(fresh, `${baseUrl}/run`);
    expect(report.skipped).toEqual([]);
    expect(predict(fresh)).toEqual(predict(model));
    await expect(modelsBrowser.readRunInfo(`${baseUrl}/missing`)).rejects.toThrow(/missing\/run\.json: HTTP 404/);
    for (const m of [model, loaded, fresh]) m.dispose();
  });

  it('says that file:// run folders are for the Node build', () => {
    expect(() => modelsBrowser.runSource('file:///tmp/run')).toThrow(modelsBrowser.ModelFileError);
    expect(() => modelsBrowser.runSource('file:///tmp/run')).toThrow(/file:\/\/\/tmp\/run: file:\/\/ folders are read by the Node build/);
  });
});
