// The playground is a static site: the page, two inference workers (float and binary), tfjs-backend-wasm's .wasm
// files and the default models, all precached by a generated service worker so it works offline after one visit.
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const nodeStub = fileURLToPath(new URL('./src/node-stub.ts', import.meta.url));

// Workspace packages compile from source (like vitest.config.ts does), so the page always runs the current code.
const workspaceAliases = readdirSync(`${repoRoot}packages`)
  .filter((dir) => existsSync(`${repoRoot}packages/${dir}/src/index.ts`))
  .map((dir) => ({ find: `@sketch-xnor/${dir}`, replacement: `${repoRoot}packages/${dir}/src/index.ts` }));

// The packages' public faces also export their Node-only helpers (file IO, worker pools, downloads). The page
// never calls them; this stub gives their imports something to bind to so the browser bundle builds.
const nodeBuiltins = { find: /^(node:)?(fs|fs\/promises|path|os|url|module|readline|stream|stream\/promises|stream\/web|worker_threads)$/, replacement: nodeStub };

export default defineConfig({
  base: './',
  appType: 'mpa', // no index.html for unknown paths: a missing model file is a 404, not a page
  resolve: { alias: [...workspaceAliases, nodeBuiltins] },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  plugins: [
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icons/*.svg', 'icons/*.png', 'models/**/*'],
      manifest: {
        name: 'Sketch-A-XNORNet playground',
        short_name: 'Sketch XNOR',
        description: 'Draw a sketch and see a float and a binary (XNOR) Sketch-A-Net classify it, in the page.',
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#1d4ed8',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,css,wasm,svg,png,json,bin,webmanifest}'],
        // the wasm backend and the default models are larger than workbox's 2 MiB default
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        // take over the open page at once, so its next model fetches are cached for offline use
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
        // models loaded by URL: fresh when online, the last copy when offline (the manifest's checksums still apply)
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => /\/(manifest|model|run|config)\.json$|\.bin$/.test(url.pathname) && (sameOrigin || url.protocol === 'https:'),
            handler: 'NetworkFirst',
            options: { cacheName: 'sketch-xnor-models', expiration: { maxEntries: 64 }, cacheableResponse: { statuses: [200] } },
          },
        ],
      },
    }),
  ],
});
