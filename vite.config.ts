/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from './scripts/find-browser.mjs';
import { initialJsReport } from './scripts/initial-js.mjs';
import { gadgetTestEndpoints } from './gadgets/core/testing/test-endpoints.mjs';
import { gadgetSandboxes } from './gadgets/core/sandbox/vite-plugin.mjs';
import { contentSecurityPolicy } from './scripts/content-security-policy.mjs';
import { pyodideAssets } from './scripts/pyodide-assets.mjs';

// @datadog/sketches-js requires protobufjs (undeclared) only for a serialisation the app does not use.
const resolve = { alias: { 'protobufjs/minimal': new URL('./compute/statistics/no-protobuf.ts', import.meta.url).pathname } };

// The build and the unit tests share this file: Vitest runs `*.test.ts` in Node
// and `*.browser.test.ts` in a real Chromium (IndexedDB, Workers, iframes, DOM).
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: process.env.FIELDSCOPE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    sourcemap: true,
    manifest: true, // bench/size.mjs reads it to find the initial chunk and its static imports
    // The sandbox pages are HTML entries of their own (gadgets/core/sandbox/host.ts loads them in iframes).
    rollupOptions: {
      input: { main: 'index.html', 'gadget-sandbox': 'gadgets/core/sandbox/iframe.html', 'gadget-worker-host': 'gadgets/core/sandbox/worker-host.html', 'kernel-host': 'compute/kernel/kernel-host.html' },
    },
  },
  define: {
    // Shown on the settings page; the e2e update test builds twice with different ids.
    __FIELDSCOPE_BUILD__: JSON.stringify(process.env.FIELDSCOPE_BUILD_ID ?? 'dev'),
  },
  resolve,
  worker: { format: 'es' },
  plugins: [
    initialJsReport(),
    gadgetSandboxes(),
    contentSecurityPolicy(),
    pyodideAssets(),
    VitePWA({
      // We register with workbox-window ourselves (gadgets/app/service-worker.ts) to show the update prompt.
      injectRegister: false,
      registerType: 'prompt',
      includeAssets: ['icons/*.png', 'favicon.svg'],
      manifest: {
        name: 'Fieldscope',
        short_name: 'Fieldscope',
        description: 'Record, store, sync and graph sensor and signal data, offline.',
        theme_color: '#0f5c6e',
        background_color: '#0b1c22',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The whole app shell, lazily loaded gadgets included, so the app starts offline after one visit.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,wasm,ipynb}'],
        globIgnores: ['pyodide/**', '**/node_modules/**'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/db\//],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        // Python cells' runtime (scripts/pyodide-assets.mjs): too big to precache for everyone, kept once first used.
        runtimeCaching: [{ urlPattern: ({ url }) => url.pathname.includes('/pyodide/'), handler: 'CacheFirst', options: { cacheName: 'fieldscope-pyodide' } }],
        // Cache busting for the test of the update prompt: a changed build id changes the precache manifest.
        additionalManifestEntries: [{ url: 'build-id', revision: process.env.FIELDSCOPE_BUILD_ID ?? 'dev' }],
      },
    }),
  ],
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['gadgets/**/*.test.ts', 'storage/**/*.test.ts', 'compute/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', 'node_modules/**'],
        },
      },
      {
        worker: { format: 'es' },
        resolve,
        plugins: [gadgetTestEndpoints(), gadgetSandboxes(), pyodideAssets()], // test-only endpoints; CORS for sandboxed gadget iframes; Python cells
        test: {
          name: 'browser',
          include: ['gadgets/**/*.browser.test.ts', 'storage/**/*.browser.test.ts', 'compute/**/*.browser.test.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
