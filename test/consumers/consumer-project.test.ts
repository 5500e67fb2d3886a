// The packages on their own: every @sketch-xnor/* package is packed, installed from its tarball with
// @tensorflow/tfjs from npm into a project outside the monorepo, then used the three ways a user would:
// (a) a Node ESM script, (b) a strict TypeScript project against the published .d.ts, (c) a Vite browser app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { packAll } from '../../scripts/pack-all.mjs';
import { examplePackages, publishablePackages } from '../../scripts/packages.mjs';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const sharedData = join(process.env.SKETCH_XNOR_SHARED ?? resolve(repoRoot, '../shared'), 'data');
const tool = (relative: string) => join(repoRoot, 'node_modules', relative);
const TFJS = '@tensorflow/tfjs@4.22.0';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm@4.22.0';
// Each check is a few CPU-seconds, but shares two cores with the whole suite (and runs beside the other two).
const CHECK_TIMEOUT = 300_000;

interface Packed {
  name: string;
  tarball: string;
}

/** Whether the npm registry answers; without it nothing can be installed and the checks are skipped. */
async function registryReachable(): Promise<boolean> {
  try {
    await run('npm', ['view', TFJS, 'version', '--prefer-offline'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Every folder `node_modules/<name>` below `root`, at any depth (what `npm ls` would list, without npm's view). */
function installedCopies(root: string, name: string): string[] {
  const copies: string[] = [];
  const visit = (modules: string) => {
    if (!existsSync(modules)) return;
    if (existsSync(join(modules, name, 'package.json'))) copies.push(join(modules, name));
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const packageDirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((sub) => join(modules, entry, sub)) : [join(modules, entry)];
      for (const dir of packageDirs) visit(join(dir, 'node_modules'));
    }
  };
  visit(join(root, 'node_modules'));
  return copies;
}

const reachable = await registryReachable();
const unreachable = reachable ? '' : ` (skipped: the npm registry is unreachable, npm view ${TFJS} failed)`;

// unreachable, every check is listed as skipped by the summary, which refuses skips in CI
describe.skipIf(!reachable)(`a project outside the monorepo that installs the packed packages${unreachable}`, () => {
  let scratch = '';
  let packed: Packed[] = [];

  // The slow part, once for the three checks: pack, then one `npm install` of all tarballs plus tfjs.
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sketch-xnor-consumer-'));
    // The example plugin is packed too: it is installed the way a third party's scheme would be.
    packed = packAll(join(scratch, 'tarballs'), [...publishablePackages(), ...examplePackages()]);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'sketch-xnor-consumer', private: true, type: 'module' }, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...packed.map((p) => p.tarball), TFJS, TFJS_WASM], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const fixture of ['node-esm', 'typescript', 'vite-app']) cpSync(join(fixtures, fixture), join(scratch, fixture), { recursive: true });
  }, 300_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('installs every package from its tarball, with exactly one copy of tfjs-core', async () => {
    const installed = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')).dependencies as Record<string, string>;
    for (const { name } of packed) expect(installed[name], `${name} installed from its tarball`).toMatch(/^file:.*\.tgz$/);
    expect(packed.map((p) => p.name)).toEqual(expect.arrayContaining(['@sketch-xnor/registry', '@sketch-xnor/binary-ops', '@sketch-xnor/data', '@sketch-xnor/models', '@sketch-xnor/example-ternary-weights']));
    // Internal dependencies resolve to the tarballs' copies, never to something fetched from the registry.
    for (const { name } of packed) expect(installedCopies(scratch, name), name).toEqual([join(scratch, 'node_modules', name)]);
    expect(installedCopies(scratch, '@tensorflow/tfjs-core')).toEqual([join(scratch, 'node_modules', '@tensorflow/tfjs-core')]);
    const { stdout } = await run('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--json'], { cwd: scratch, maxBuffer: 16 * 1024 * 1024 });
    const versions = new Set<string>();
    const collect = (deps: Record<string, { version?: string; dependencies?: object }> = {}) => {
      for (const [name, dep] of Object.entries(deps)) {
        if (name === '@tensorflow/tfjs-core' && dep.version) versions.add(dep.version);
        collect(dep.dependencies as typeof deps);
      }
    };
    collect(JSON.parse(stdout).dependencies);
    expect([...versions]).toEqual(['4.22.0']);
  });

  // The three uses are independent processes: run them side by side.
  it.concurrent('(a) a Node ESM script uses the quantizer registry, QuantConv2D, a plugin package, the Quick, Draw! reader and buildModel', async ({ expect }) => {
    expect(existsSync(join(sharedData, 'quickdraw-345', 'cat.ndjson')), `shared data at ${sharedData}`).toBe(true);
    const { stdout } = await run(process.execPath, ['main.mjs', sharedData], { cwd: join(scratch, 'node-esm') });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(seen.quantizers).toEqual(expect.arrayContaining(['ste-sign', 'approx-sign', 'consumer-half-sign', 'ternary-weights']));
    expect(seen.reloadError).toBeLessThan(1e-6);
    expect(seen.convError).toBeLessThan(1e-5);
    expect(seen.sketches).toHaveLength(2);
    expect(seen.shape).toEqual([2, 3]);
    expect(seen.quantizedLayers).toBeGreaterThan(0);
  }, CHECK_TIMEOUT);

  it.concurrent('(b) a strict TypeScript project type-checks against the published .d.ts', async ({ expect }) => {
    const project = join(scratch, 'typescript');
    // skipLibCheck is off, so the packages' own .d.ts are checked under strict too. TF.js 4.22's declarations
    // have errors of their own under strict (Long, PyJsonValue index signatures): those, and only those, are ignored.
    const result = await run(process.execPath, [tool('typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    const errors = result.split('\n').filter((line) => /error TS\d+/.test(line));
    const ours = errors.filter((line) => !line.includes('node_modules/@tensorflow/'));
    expect(ours, 'type errors outside TF.js').toEqual([]);
    expect(readFileSync(join(project, 'src', 'index.ts'), 'utf8')).toContain('@ts-expect-error');
  }, CHECK_TIMEOUT);

  it.concurrent('(c) a Vite app that imports binary-ops and data builds for the browser, and runs there', async ({ expect, skip }) => {
    const app = join(scratch, 'vite-app');
    await run(process.execPath, [tool('vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
    const assets = readdirSync(join(app, 'dist', 'assets')).filter((file) => file.endsWith('.js'));
    expect(assets.length).toBeGreaterThan(0);
    const bundle = assets.map((file) => readFileSync(join(app, 'dist', 'assets', file), 'utf8')).join('\n');
    expect(bundle).toContain('QuantConv2D');
    expect(bundle, 'piscina (Node worker pool) is tree-shaken out').not.toContain('piscina');

    const chromium = '/usr/bin/chromium';
    // counted as skipped (listed by the summary; refused in CI), not as passed
    if (!existsSync(chromium)) return skip(`the browser run needs ${chromium} (scripts/setup.sh installs it)`);
    const { chromium: launcher } = await import('playwright-core');
    const server = await serveFolder(join(app, 'dist'));
    const browser = await launcher.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(server.url);
      await page.waitForFunction(() => document.body.dataset.result !== undefined, undefined, { timeout: 60_000 });
      expect(pageErrors).toEqual([]);
      expect(await page.evaluate(() => document.body.dataset.result)).toBe('features 1x62x62x4');
    } finally {
      await browser.close();
      server.close();
    }
  }, CHECK_TIMEOUT);
});

const contentTypes: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** A static server for the built app (module scripts do not load from file://). */
async function serveFolder(folder: string): Promise<{ url: string; close: () => void }> {
  const server: Server = createServer((request, response) => {
    const path = join(folder, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html'));
    if (!path.startsWith(folder) || !existsSync(path)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': contentTypes[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
