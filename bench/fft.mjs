// Real FFT in Chromium: our path (fft.js, cached plans) vs pffft-wasm SIMD, fft.js and ndarray-fft called directly, at
// 2^10, 2^16, 2^20, 2^22 in one run; then Welch's spectrum of a 1e8-sample array read from IndexedDB (QUICK=1: 1e7).
// Run: npm run bench:fft
import { printResult, runInBrowser } from './browser.mjs';

const quick = process.env.QUICK === '1';
const exponents = [10, 16, 20, 22];
const welchSamples = quick ? 1e7 : 1e8;
const r = await runInBrowser('/bench/fft.bench.ts', { exponents, welchSamples });

console.log('size     ours ms   pffft ms   fft.js ms   ndarray-fft ms');
for (const e of exponents) {
  const cell = (key) => (r[key] === undefined ? '—' : r[key].toFixed(3)).padStart(10);
  console.log(`2^${String(e).padEnd(6)}${cell(`ours_ms_${e}`)}${cell(`pffft_ms_${e}`)}${cell(`fftjs_ms_${e}`)}${cell(`ndarray_ms_${e}`)}`);
}
console.log(`at 2^20: ours ${(r.ours_ms_20 / r.pffft_ms_20).toFixed(2)}× pffft's time, ${(r.ours_ms_20 / r.fftjs_ms_20).toFixed(2)}× fft.js's`);
console.log(`Welch spectrum of ${welchSamples.toExponential(0)} samples from IndexedDB: ${r.welch_s.toFixed(2)} s (goal ≤ 1.5 s at 1e8)`);
printResult('fft', { ms_2e20: r.ours_ms_20, pffft_ms_2e20: r.pffft_ms_20, fftjs_ms_2e20: r.fftjs_ms_20, [quick ? 'welch_1e7_s' : 'welch_1e8_s']: r.welch_s });
