// Statistics per hour of a large float32 array read from IndexedDB (1e8 samples at 1 kHz, about 28 hourly slices of
// 3.6e6; QUICK=1: 1e7), against reading its bytes alone in the same run, and the sketch's p99 error against the exact one.
// Run: npm run bench:stats
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const samples = Number(process.env.SAMPLES ?? (quick ? 1e7 : 1e8));
// On a profile on disk: a 400 MB array would fill an off-the-record browser's in-memory storage.
const r = await runInBrowser('/bench/stats.bench.ts', { samples, rate: 1000 }, { onDisk: true });
console.log(`${samples.toExponential(0)} float32 samples, ${r.slices} hourly slices, quantiles ${r.exact ? 'exact' : 'partly sketched'}`);
console.log(`  reading the bytes alone: ${r.read_s.toFixed(2)} s (${r.read_mib_per_s.toFixed(0)} MiB/s)`);
console.log(`  hourly statistics (count, sum, min, max, mean, RMS, std, median, q1, q3, p90, p99): ${r.stats_s.toFixed(2)} s = ${r.vs_read.toFixed(2)}× reading (goal ≤ 1.3×)`);
console.log(`  the same from the sketch only: ${r.sketch_s.toFixed(2)} s; its p99 is within ${(r.p99_rel_err * 100).toFixed(3)} % of the exact p99 (bound 0.5 %)`);
console.log('  dashboard: not built yet (issue 15, step 5)');
printResult('stats', {
  [samples === 1e8 ? 'hourly_1e8_s' : `hourly_${samples.toExponential(0).replace('+', '')}_s`]: r.stats_s,
  vs_read: r.vs_read,
  p99_rel_err: r.p99_rel_err,
  dashboard_1000_ms: 'na',
});
