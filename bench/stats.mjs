// Statistics per hour of a large float32 array read from IndexedDB (1e8 samples at 1 kHz, about 28 hourly slices of
// 3.6e6; QUICK=1: 1e7), against reading its bytes alone in the same run, and the sketch's p99 error against the exact one;
// then the dashboard's first paint with 1,000 sources against 10 (DASHBOARD_ONLY=1: that part alone).
// Run: npm run bench:stats
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const samples = Number(process.env.SAMPLES ?? (quick ? 1e7 : 1e8));
// On a profile on disk: a 400 MB array would fill an off-the-record browser's in-memory storage.
const dashboardOnly = process.env.DASHBOARD_ONLY === '1';
const r = dashboardOnly ? undefined : await runInBrowser('/bench/stats.bench.ts', { samples, rate: 1000 }, { onDisk: true });
if (r) {
  console.log(`${samples.toExponential(0)} float32 samples, ${r.slices} hourly slices, quantiles ${r.exact ? 'exact' : 'partly sketched'}`);
  console.log(`  reading the bytes alone: ${r.read_s.toFixed(2)} s (${r.read_mib_per_s.toFixed(0)} MiB/s)`);
  console.log(`  hourly statistics (count, sum, min, max, mean, RMS, std, median, q1, q3, p90, p99): ${r.stats_s.toFixed(2)} s = ${r.vs_read.toFixed(2)}× reading (goal ≤ 1.3×)`);
  console.log(`  the same from the sketch only: ${r.sketch_s.toFixed(2)} s; its p99 is within ${(r.p99_rel_err * 100).toFixed(3)} % of the exact p99 (bound 0.5 %)`);
}
const sources = 1000;
// 8,192 samples each: enough for a pyramid, so a sparkline reads summaries as it would for a long recording.
const d = await runInBrowser('/bench/dashboard.bench.ts', { sources, samples: 8192 });
console.log(`  dashboard first paint with ${sources} sources (${d.cards} cards in view, each drawn): ${d.ms.toFixed(0)} ms; with 10 sources: ${d.anchor_ms.toFixed(0)} ms (${d.ratio.toFixed(2)}×)`);
printResult('stats', {
  [samples === 1e8 ? 'hourly_1e8_s' : `hourly_${samples.toExponential(0).replace('+', '')}_s`]: r?.stats_s ?? 'na',
  vs_read: r?.vs_read ?? 'na',
  p99_rel_err: r?.p99_rel_err ?? 'na',
  dashboard_1000_ms: d.ms,
});
