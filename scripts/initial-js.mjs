// The JavaScript a first visit downloads before the shell renders: the entry chunk and its static imports
// (lazy pages excluded), measured gzip level 9. Shared by the build report (vite.config.ts) and bench/size.mjs.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** @returns {{ files: { file: string, gzipBytes: number }[], totalGzipBytes: number }} */
export function measureInitialJs(outDir) {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  entries.forEach(visit);
  const files = [...seen].map((key) => {
    const file = manifest[key].file;
    return { file, gzipBytes: gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length };
  });
  return { files, totalGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

/** A Vite plugin printing the initial JS size after each production build. */
export function initialJsReport() {
  let outDir = 'dist';
  return {
    name: 'fieldscope-initial-js-report',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const { files, totalGzipBytes } = measureInitialJs(outDir);
      console.log(`initial JS (entry + static imports): ${files.length} file(s), ${(totalGzipBytes / 1024).toFixed(2)} KB gzip`);
    },
  };
}
