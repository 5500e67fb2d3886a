// Browser test harness: bundles a page with vite into memory (the workspace packages from source, the optional
// TF.js backends as separate entries a page loads through its import map, as an unbundled app would), serves it
// on 127.0.0.1 with node:http, and opens it in Debian's Chromium with WebGPU (SwiftShader, no GPU needed).
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, type Plugin, type Rollup } from 'vite';

export const CHROMIUM = process.env.SKETCH_XNOR_CHROMIUM ?? '/usr/bin/chromium';
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/** Why browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (scripts/setup.sh installs Debian's chromium)`;
}

/** `@sketch-xnor/<dir>` -> its browser face (packages/<dir>/src/browser.ts) where it has one, else src/index.ts. */
function workspaceAliases(): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const dir of readdirSync(join(REPO_ROOT, 'packages'))) {
    const entry = ['src/browser.ts', 'src/index.ts'].map((file) => join(REPO_ROOT, 'packages', dir, file)).find((file) => existsSync(file));
    if (entry) alias[`@sketch-xnor/${dir}`] = entry;
  }
  return alias;
}

/**
 * Node built-ins that the packages' public faces import for their Node-only helpers become one module whose every
 * named export throws when called: the page never calls them, and a mistake says what happened.
 */
function nodeBuiltinsThrow(): Plugin {
  const id = '\0node-builtin';
  return {
    name: 'node-builtins-throw',
    enforce: 'pre',
    resolveId: (source) => (/^node:|^(fs|path|os|url|crypto|module|readline|stream|worker_threads)(\/|$)/.test(source) ? id : null),
    load: (loaded) =>
      loaded === id
        ? {
            code: `export default new Proxy({}, { get: (_, name) => () => { throw new Error('Node.js API ' + String(name) + ' called in the browser'); } });`,
            syntheticNamedExports: true,
          }
        : null,
  };
}

export type PageFiles = Map<string, { type: string; body: string | Uint8Array }>;

/**
 * Bundles `page/main.ts` and the given bare specifiers as entries (`specifier` -> `/<safe name>.js`) into memory.
 * Returns the files by URL path, index.html with an import map for those specifiers included.
 */
export async function bundlePage(pageDir: string, lazyPackages: readonly string[]): Promise<PageFiles> {
  const safe = (specifier: string) => specifier.replace(/[^a-z0-9]+/gi, '-').replace(/^-/, '');
  const input: Record<string, string> = { main: join(pageDir, 'main.ts') };
  for (const specifier of lazyPackages) input[safe(specifier)] = specifier;
  const result = (await build({
    configFile: false,
    logLevel: 'error',
    root: pageDir,
    resolve: { alias: workspaceAliases() },
    plugins: [nodeBuiltinsThrow()],
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      modulePreload: false,
      rollupOptions: { input, preserveEntrySignatures: 'strict', output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const files: PageFiles = new Map();
  for (const output of Array.isArray(result) ? result : [result]) {
    for (const item of output.output) {
      files.set(`/${item.fileName}`, {
        type: item.fileName.endsWith('.js') ? 'text/javascript' : 'application/octet-stream',
        body: item.type === 'chunk' ? item.code : item.source,
      });
    }
  }
  const imports = Object.fromEntries(lazyPackages.map((specifier) => [specifier, `/${safe(specifier)}.js`]));
  files.set('/index.html', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><meta charset="utf-8"><title>browser test</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module" src="/main.js"></script>`,
  });
  return files;
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Serves in-memory files on 127.0.0.1 (WebGPU needs a secure context; localhost is one). */
export async function servePage(files: PageFiles): Promise<PageServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files.get(path.endsWith('/') ? `${path}index.html` : path);
    res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain', 'cache-control': 'no-store' });
    res.end(file?.body ?? 'not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

export interface WebGpuBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium with WebGPU enabled (SwiftShader's Vulkan when there is no GPU), a fresh profile. */
export async function openWebGpuPage(url: string): Promise<WebGpuBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'webgpu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { pageReady?: boolean }).pageReady === true || !!document.title.startsWith('error'), null, { timeout: 60_000 });
  if (errors.length) throw new Error(`the test page failed to load: ${errors.join('; ')}`);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
