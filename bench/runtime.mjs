// npm run bench:gadgets — gadget runtime costs in real Chromium: method calls direct vs iframe sandbox vs worker
// sandbox, and acquisitions (3 gadget levels up). Ratios are against direct calls measured in the same run.
import { printResult, runInBrowser } from './browser.mjs';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 1500);
const result = await runInBrowser('/bench/runtime.bench.ts', { durationMs }, { timeoutMs: 120_000 });
const direct = result.direct_calls_per_s;
console.log(`direct calls      ${Math.round(direct).toLocaleString('en')} /s`);
console.log(`iframe calls      ${Math.round(result.iframe_calls_per_s).toLocaleString('en')} /s  (${(result.iframe_calls_per_s / direct).toFixed(4)} of direct)`);
console.log(`worker calls      ${Math.round(result.worker_calls_per_s).toLocaleString('en')} /s  (${(result.worker_calls_per_s / direct).toFixed(4)} of direct)`);
console.log(`acquisitions      ${Math.round(result.acquisitions_per_s).toLocaleString('en')} /s  (${(result.acquisitions_per_s / direct).toFixed(4)} of direct)`);
printResult('gadgets', {
  direct_calls_per_s: result.direct_calls_per_s,
  iframe_calls_per_s: result.iframe_calls_per_s,
  worker_calls_per_s: result.worker_calls_per_s,
  acquisitions_per_s: result.acquisitions_per_s,
});
