import { runInBrowser } from './browser.mjs';
const importMiB = Number(process.env.IMPORT_MIB ?? 256);
for (const part of (process.env.PARTS ?? 'raw-opfs,import').split(',')) {
  const r = await runInBrowser('/bench/fft.bench.ts', { importPart: part, importMiB }, { onDisk: true });
  console.log(part, JSON.stringify(r));
}
