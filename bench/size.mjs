// Size of the JavaScript a first visit must download before the shell renders (goal ≤ 80 KB gzip).
// Run: npm run bench:size
import { build } from 'vite';
import { measureInitialJs } from '../scripts/initial-js.mjs';
import { printResult } from './browser.mjs';

const root = new URL('../', import.meta.url).pathname;
const outDir = `${root}dist-size`;
process.env.FIELDSCOPE_OUT_DIR = outDir;
await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' });

const { files, totalGzipBytes } = measureInitialJs(outDir);
for (const { file, gzipBytes } of files) console.log(`  ${file}: ${(gzipBytes / 1024).toFixed(2)} KB gzip`);
console.log(`initial JS: ${files.length} file(s), ${(totalGzipBytes / 1024).toFixed(2)} KB gzip (goal ≤ 80 KB)`);
printResult('size', { initial_js_gzip_kb: totalGzipBytes / 1024 });
