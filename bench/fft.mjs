// Real FFT in Chromium: our path (pffft with our cached plans, as the spectra call it) vs pffft-wasm SIMD, fft.js and
// ndarray-fft called directly, at 2^10, 2^16, 2^20, 2^22 in one run; then Welch's spectrum of a 1e8-sample array read from IndexedDB (QUICK=1: 1e7);
// then the import of a 256 MiB raw float32 file against raw idb writes of the same bytes, which are then read back to
// show what reading alone costs, and against raw OPFS writes and reads of them (sync access handle in a worker) (IMPORT_MIB=<n> to change the size, 0 to skip it).
// Run: npm run bench:fft
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const exponents = [10, 16, 20, 22];
const welchSamples = quick ? 1e7 : 1e8;
const importMiB = Number(process.env.IMPORT_MIB ?? 256);
// On a profile on disk: the Welch array (400 MB) would fill an off-the-record browser's in-memory storage.
const r = await runInBrowser('/bench/fft.bench.ts', { exponents, welchSamples }, { onDisk: true });
if (importMiB > 0) {
  // Each part in a fresh browser with a profile on disk, as the Welch part: the same storage underneath.
  const raw = await runInBrowser('/bench/fft.bench.ts', { importPart: 'raw-idb', importMiB }, { onDisk: true });
  const opfs = await runInBrowser('/bench/fft.bench.ts', { importPart: 'raw-opfs', importMiB }, { onDisk: true });
  const imported = await runInBrowser('/bench/fft.bench.ts', { importPart: 'import', importMiB }, { onDisk: true });
  const importedIdb = await runInBrowser('/bench/fft.bench.ts', { importPart: 'import-idb', importMiB }, { onDisk: true });
  Object.assign(r, {
    raw_idb_mb_per_s: raw.mb_per_s,
    raw_idb_read_mb_per_s: raw.read_mb_per_s,
    raw_opfs_mb_per_s: opfs.mb_per_s,
    raw_opfs_read_mb_per_s: opfs.read_mb_per_s,
    import_mb_per_s: imported.mb_per_s,
    import_ratio_vs_raw: imported.mb_per_s / raw.mb_per_s,
    import_idb_mb_per_s: importedIdb.mb_per_s,
  });
}

console.log('size     ours ms   pffft ms   fft.js ms   ndarray-fft ms');
for (const e of exponents) {
  const cell = (key) => (r[key] === undefined ? '—' : r[key].toFixed(3)).padStart(10);
  console.log(`2^${String(e).padEnd(6)}${cell(`ours_ms_${e}`)}${cell(`pffft_ms_${e}`)}${cell(`fftjs_ms_${e}`)}${cell(`ndarray_ms_${e}`)}`);
}
console.log(`our FFT path uses ${r.ours_uses_pffft ? 'pffft (WASM SIMD)' : 'fft.js: pffft did not load'}`);
console.log(`at 2^20: ours ${(r.ours_ms_20 / r.pffft_ms_20).toFixed(2)}× pffft's time, ${(r.ours_ms_20 / r.fftjs_ms_20).toFixed(2)}× fft.js's`);
console.log(`Welch spectrum of ${welchSamples.toExponential(0)} samples from the local storage (bytes in OPFS): ${r.welch_s.toFixed(2)} s (goal ≤ 1.0 s at 1e8; one worker per core, ${r.welch_cores} here); with one worker: ${r.welch_one_worker_s.toFixed(2)} s; with bytes in IndexedDB as before: ${r.welch_idb_s.toFixed(2)} s`);
if (importMiB > 0) {
  // What reading alone costs: the float32 samples at the speed raw idb reads give back what they wrote, same run.
  const readS = (welchSamples * 4) / 2 ** 20 / r.raw_idb_read_mb_per_s;
  console.log(`  reading its ${((welchSamples * 4) / 2 ** 20).toFixed(0)} MiB with raw idb alone (${r.raw_idb_read_mb_per_s.toFixed(0)} MiB/s) takes ${readS.toFixed(2)} s`);
}
if (importMiB > 0) {
  console.log(
    `import of a ${importMiB} MiB raw file: ${r.import_mb_per_s.toFixed(1)} MB/s vs raw idb writes ${r.raw_idb_mb_per_s.toFixed(1)} MB/s: ` +
      `${r.import_ratio_vs_raw.toFixed(2)}× (goal ≥ 0.9×)`,
  );
  console.log(
    `raw OPFS (sync access handle in a worker), same bytes: writes ${r.raw_opfs_mb_per_s.toFixed(1)} MB/s, reads ${r.raw_opfs_read_mb_per_s.toFixed(0)} MB/s; ` +
      `import ${(r.import_mb_per_s / r.raw_opfs_mb_per_s).toFixed(2)}× raw OPFS writes (goal ≥ 0.9× once arrays are on OPFS)`,
  );
  console.log(`import with bytes in IndexedDB as before: ${r.import_idb_mb_per_s.toFixed(1)} MB/s (${(r.import_idb_mb_per_s / r.raw_idb_mb_per_s).toFixed(2)}× raw idb writes)`);
}
printResult('fft', {
  ms_2e20: r.ours_ms_20,
  pffft_ms_2e20: r.pffft_ms_20,
  fftjs_ms_2e20: r.fftjs_ms_20,
  [quick ? 'welch_1e7_s' : 'welch_1e8_s']: r.welch_s,
  [quick ? 'welch_idb_1e7_s' : 'welch_idb_1e8_s']: r.welch_idb_s,
  [quick ? 'welch_one_worker_1e7_s' : 'welch_one_worker_1e8_s']: r.welch_one_worker_s,
  ...(importMiB > 0
    ? {
        [importMiB === 256 ? 'import_ratio_vs_raw' : `import_ratio_vs_raw_${importMiB}mib`]: r.import_ratio_vs_raw,
        raw_idb_write_mb_s: r.raw_idb_mb_per_s,
        raw_idb_read_mb_s: r.raw_idb_read_mb_per_s,
        raw_opfs_write_mb_s: r.raw_opfs_mb_per_s,
        raw_opfs_read_mb_s: r.raw_opfs_read_mb_per_s,
        import_ratio_vs_raw_opfs: r.import_mb_per_s / r.raw_opfs_mb_per_s,
        import_idb_ratio_vs_raw: r.import_idb_mb_per_s / r.raw_idb_mb_per_s,
      }
    : {}),
});
