// Size of the JavaScript a first visit must download before the shell renders: the entry chunk and its static
// imports (lazy pages excluded), gzip level 9. Run: npm run bench:size
import { build } from 'vite';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { printResult } from './browser.mjs';

const root = new URL('../', import.meta.url).pathname;
const outDir = `${root}dist-size`;
process.env.FIELDSCOPE_OUT_DIR = outDir;
await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' });

const manifest = JSON.parse(readFileSync(`${outDir}/.vite/manifest.json`, 'utf8'));
const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const seen = new Set();
const visit = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
visit(entryKey);

let total = 0;
for (const key of seen) {
  const file = manifest[key].file;
  const gzipped = gzipSync(readFileSync(`${outDir}/${file}`), { level: 9 }).length;
  total += gzipped;
  console.log(`  ${file}: ${(gzipped / 1024).toFixed(2)} KB gzip`);
}
console.log(`initial JS: ${seen.size} chunk(s), ${(total / 1024).toFixed(2)} KB gzip (goal ≤ 80 KB)`);
printResult('size', { initial_js_gzip_kb: total / 1024 });
