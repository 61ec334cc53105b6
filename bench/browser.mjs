// Runs a browser-side benchmark module in real Chromium and returns what its `run(options)` resolves to.
// The module is served by a Vite dev server (so TypeScript, workers and wasm work as in the app).
import { createServer } from 'vite';
import { chromium } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../scripts/find-browser.mjs';

/**
 * @param {string} modulePath  path from the repo root, e.g. '/bench/storage.bench.ts'
 * @param {unknown} [options]   JSON-serialisable, passed to run()
 * @param {{ timeoutMs?: number, viewport?: {width: number, height: number}, onDisk?: boolean }} [settings]
 */
export async function runInBrowser(modulePath, options = {}, settings = {}) {
  const server = await createServer({
    configFile: new URL('../vite.config.ts', import.meta.url).pathname,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    // Scan the benches for dependencies up front: found mid-run, Vite re-bundles them and the page breaks on a fresh cache.
    optimizeDeps: { entries: ['index.html', 'bench/*.bench.ts'] },
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const launch = chromiumLaunchOptions();
  const args = [...launch.args, '--enable-precise-memory-info', '--js-flags=--expose-gc'];
  const viewport = settings.viewport ?? { width: 1200, height: 800 };
  // A browser's own contexts are off the record: IndexedDB and Blobs live in memory, capped at 500 MiB. A profile on
  // disk (as a tablet's) has no such cap, for benches that store more.
  const profile = settings.onDisk ? await mkdtemp(join(tmpdir(), 'fieldscope-bench-profile-')) : undefined;
  const browser = profile ? await chromium.launchPersistentContext(profile, { ...launch, args, viewport }) : await chromium.launch({ ...launch, args });
  try {
    const page = profile ? await browser.newPage() : await browser.newPage({ viewport });
    page.on('console', (message) => console.log(`  [browser] ${message.text()}`));
    page.on('pageerror', (error) => console.error(`  [browser error] ${error.message}`));
    page.on('response', (response) => response.status() >= 400 && console.log(`  [browser] ${response.status()} ${response.url()}`));
    page.setDefaultTimeout(settings.timeoutMs ?? 30 * 60_000);
    await page.goto(`http://127.0.0.1:${port}/bench/index.html`);
    // CPU_PROFILE=file.cpuprofile: the page's JavaScript profiled for the whole run (open it in Chromium's DevTools).
    const profiler = process.env.CPU_PROFILE ? await page.context().newCDPSession(page) : undefined;
    await profiler?.send('Profiler.enable');
    await profiler?.send('Profiler.start');
    const result = await page.evaluate(
      async ({ modulePath, options }) => {
        const module = await import(/* @vite-ignore */ modulePath);
        return module.run(options);
      },
      { modulePath, options },
    );
    if (profiler) await writeFile(process.env.CPU_PROFILE, JSON.stringify((await profiler.send('Profiler.stop')).profile));
    return result;
  } finally {
    await browser.close();
    await server.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  }
}

/** Prints the closing line every bench ends with: `RESULT <name> key=value ...`. */
export function printResult(name, values) {
  const pairs = Object.entries(values).map(([key, value]) => `${key}=${typeof value === 'number' ? round(value) : value}`);
  console.log(`RESULT ${name} ${pairs.join(' ')}`);
}

function round(value) {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4;
  return Number(value.toFixed(digits));
}
