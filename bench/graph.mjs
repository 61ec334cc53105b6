// The graph gadget over IndexedDB arrays of 1e6, 1e7, 1e8 float32 samples, against dygraphs and uPlot with every point
// in memory at 1e6 and 1e7, in one Chromium run. Each of our pan/zoom steps includes its storage reads.
// Run: npm run bench:graph            (QUICK=1: 1e6 and 1e7 only, peers at 1e6)
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const sizes = quick ? [1e6, 1e7] : [1e6, 1e7, 1e8];
const peerSizes = quick ? [1e6] : [1e6, 1e7];
const r = await runInBrowser('/bench/graph.bench.ts', { sizes, peerSizes, steps: 15 }, { viewport: { width: 1100, height: 700 } });

console.log('size      first ms   pan ms   zoom ms   heap MB');
for (const size of sizes) {
  console.log(`${size.toExponential(0).padEnd(9)} ${r[`first_ms_${size}`].toFixed(1).padStart(8)} ${r[`pan_ms_${size}`].toFixed(1).padStart(8)} ${r[`zoom_ms_${size}`].toFixed(1).padStart(9)} ${r[`heap_mb_${size}`].toFixed(1).padStart(9)}`);
}
for (const size of peerSizes) {
  console.log(`peers at ${size.toExponential(0)}: dygraphs first ${r[`dygraphs_first_ms_${size}`].toFixed(0)} ms, pan ${r[`dygraphs_pan_ms_${size}`].toFixed(1)} ms, heap ${r[`dygraphs_heap_mb_${size}`].toFixed(0)} MB; uPlot first ${r[`uplot_first_ms_${size}`].toFixed(0)} ms, pan ${r[`uplot_pan_ms_${size}`].toFixed(1)} ms`);
  console.log(`  our pan at ${size.toExponential(0)} = ${(r[`pan_ms_${size}`] / r[`uplot_pan_ms_${size}`]).toFixed(2)}× uPlot's, ${(r[`pan_ms_${size}`] / r[`dygraphs_pan_ms_${size}`]).toFixed(2)}× dygraphs'`);
}
const largest = sizes.at(-1);
printResult('graph', {
  pan_ms_1e6: r['pan_ms_1000000'],
  [`pan_ms_${largest === 1e8 ? '1e8' : '1e7'}`]: r[`pan_ms_${largest}`],
  [`first_ms_${largest === 1e8 ? '1e8' : '1e7'}`]: r[`first_ms_${largest}`],
  [`heap_mb_${largest === 1e8 ? '1e8' : '1e7'}`]: r[`heap_mb_${largest}`],
  uplot_pan_ms_1e6: r['uplot_pan_ms_1000000'],
  dygraphs_pan_ms_1e6: r['dygraphs_pan_ms_1000000'],
});
