// The playground is a static site: the page, two inference workers (float and binary), tfjs-backend-wasm's .wasm
// files and the default models. A generated service worker precaches the page and its code; the models and the one
// .wasm binary this browser uses are cached as the workers fetch them (the page starts them once the service worker
// is in charge), so a first visit downloads each once and the page works offline after it.
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// Workspace packages compile from source (like vitest.config.ts does), so the page always runs the current code.
// A package with a browser face (src/browser.ts, its `browser` export condition) is taken by it, as a bundler
// takes the published package: those faces import no Node built-in, so the page needs no stubs for them.
const sourceEntry = (dir: string) => ['browser', 'index'].map((face) => `${repoRoot}packages/${dir}/src/${face}.ts`).find((file) => existsSync(file));
const workspaceAliases = readdirSync(`${repoRoot}packages`).flatMap((dir) => {
  const entry = sourceEntry(dir);
  return entry ? [{ find: `@sketch-xnor/${dir}`, replacement: entry }] : [];
});

export default defineConfig({
  base: './',
  appType: 'mpa', // no index.html for unknown paths: a missing model file is a 404, not a page
  resolve: { alias: workspaceAliases },
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
      includeAssets: ['icons/*.svg', 'icons/*.png'],
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
        // not the three .wasm builds (a browser uses one) nor the models (the workers fetch them through the cache)
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest}'],
        globIgnores: ['models/**'],
        // the TF.js chunks are larger than workbox's 2 MiB default
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        // take over the open page at once, so its next model fetches are cached for offline use
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
        // models loaded by URL: fresh when online, the last copy when offline (the manifest's checksums still apply)
        runtimeCaching: [
          {
            // tfjs-backend-wasm's binary (content-hashed names): the one this browser fetched, kept
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.endsWith('.wasm'),
            handler: 'CacheFirst',
            options: { cacheName: 'sketch-xnor-wasm', expiration: { maxEntries: 3 }, cacheableResponse: { statuses: [200] } },
          },
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
