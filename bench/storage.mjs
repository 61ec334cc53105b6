// IndexedDB storage vs raw idb, in Chromium: write and append throughput, 4 KiB range reads, indexed vs scanned queries.
// Run: npm run bench:storage            (QUICK=1 for a smaller run)
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const options = { writeMiB: quick ? 16 : 128, rangeReads: quick ? 50 : 200, queryDocs: quick ? 10_000 : 100_000 };
const r = await runInBrowser('/bench/storage.bench.ts', options);

console.log(`write ${r.writeMiB} MiB: raw idb ${r.rawMBps.toFixed(0)} MB/s, putAttachment ${r.putMBps.toFixed(0)} MB/s (${(r.putMBps / r.rawMBps).toFixed(2)}×), appendAttachment ${r.appendMBps.toFixed(0)} MB/s (${(r.appendMBps / r.rawMBps).toFixed(2)}×)`);
console.log(`random 4 KiB range read: ${r.range4kMs.toFixed(2)} ms median (raw chunk get ${r.rawChunkGetMs.toFixed(2)} ms)`);
console.log(`query on ${r.queryDocs} documents (${r.matches} matches): indexed ${r.indexedMs.toFixed(1)} ms, scan ${r.scanMs.toFixed(1)} ms (${(r.scanMs / r.indexedMs).toFixed(1)}× faster with the index)`);
printResult('storage', {
  write_ratio_vs_raw: r.putMBps / r.rawMBps,
  append_ratio_vs_raw: r.appendMBps / r.rawMBps,
  range4k_ms: r.range4kMs,
  query100k_indexed_ms: r.indexedMs,
  query100k_scan_ms: r.scanMs,
});
