// The local storage (bytes in OPFS, and in IndexedDB chunks as before) vs raw idb, in Chromium, one run: write and
// append throughput, 4 KiB and 8 MiB range reads, indexed vs scanned queries.
// Run: npm run bench:storage            (QUICK=1 for a smaller run)
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const options = { writeMiB: quick ? 16 : 128, rangeReads: quick ? 50 : 200, queryDocs: quick ? 10_000 : 100_000 };
// On a profile on disk, as on a tablet (off the record, both IndexedDB and OPFS live in memory).
const r = await runInBrowser('/bench/storage.bench.ts', options, { onDisk: true });

const ratio = (store, key) => (store[key] / r.rawMBps).toFixed(2);
for (const [label, store] of [['OPFS bytes (default)', r.opfs], ['IndexedDB bytes (before)', r.idb]]) {
  console.log(`${label}: write ${r.writeMiB} MiB putAttachment ${store.putMBps.toFixed(0)} MB/s (${ratio(store, 'putMBps')}× raw idb ${r.rawMBps.toFixed(0)} MB/s), appendAttachment ${store.appendMBps.toFixed(0)} MB/s (${ratio(store, 'appendMBps')}×), 8 MiB range reads ${store.read8MiBMBps.toFixed(0)} MB/s, random 4 KiB range read ${store.range4kMs.toFixed(2)} ms median`);
}
console.log(`raw chunk get (4 KiB of a 1 MiB Blob chunk): ${r.rawChunkGetMs.toFixed(2)} ms median`);
console.log(`query on ${r.queryDocs} documents (${r.matches} matches): indexed ${r.indexedMs.toFixed(1)} ms, scan ${r.scanMs.toFixed(1)} ms (${(r.scanMs / r.indexedMs).toFixed(1)}× faster with the index)`);
printResult('storage', {
  write_ratio_vs_raw: r.opfs.putMBps / r.rawMBps,
  append_ratio_vs_raw: r.opfs.appendMBps / r.rawMBps,
  range4k_ms: r.opfs.range4kMs,
  read8mib_mb_s: r.opfs.read8MiBMBps,
  idb_write_ratio_vs_raw: r.idb.putMBps / r.rawMBps,
  idb_append_ratio_vs_raw: r.idb.appendMBps / r.rawMBps,
  idb_range4k_ms: r.idb.range4kMs,
  idb_read8mib_mb_s: r.idb.read8MiBMBps,
  query100k_indexed_ms: r.indexedMs,
  query100k_scan_ms: r.scanMs,
});
