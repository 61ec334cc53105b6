// @ts-check
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What loadPyodide fetches for the interpreter and its standard library (no packages: none are served here). */
export const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const TYPES = { '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.zip': 'application/zip', '.json': 'application/json' };

const pyodideFolder = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

/**
 * Serves Pyodide (CPython in WebAssembly, for the notebook's Python cells) from the app's own origin, under
 * `<base>pyodide/`: the dev server answers from node_modules/pyodide, the build copies the files. Nothing here is in
 * the precache (the runtime is ~13 MB): the service worker keeps the files the first time a Python cell loads them
 * (vite.config.ts, runtimeCaching), so Python works offline from then on.
 * @returns {import('vite').Plugin}
 */
export function pyodideAssets() {
  /** @type {string} */
  let base = '/';
  return {
    name: 'fieldscope-pyodide-assets',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        const file = path.startsWith(`${base}pyodide/`) ? path.slice(base.length + 'pyodide/'.length) : '';
        if (!PYODIDE_FILES.includes(file)) return next();
        const type = Object.entries(TYPES).find(([ending]) => file.endsWith(ending))?.[1] ?? 'application/octet-stream';
        // The kernel's worker has an opaque origin: its fetches are CORS requests, for public files.
        res.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' });
        createReadStream(join(pyodideFolder, file)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of PYODIDE_FILES) this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: readFileSync(join(pyodideFolder, file)) });
    },
  };
}
