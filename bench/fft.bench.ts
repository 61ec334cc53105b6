// Browser side of `npm run bench:fft`: our FFT path (fft.js with cached plans, as the spectra use it) against pffft-wasm
// (SIMD, float32), fft.js and ndarray-fft called directly, in one run; then a Welch spectrum of a large array read
// from IndexedDB chunk by chunk.
import FFT from 'fft.js';
import ndarray from 'ndarray';
import PFFFT from '@echogarden/pffft-wasm/simd';
import { loadFastFft, powerSpectrum } from '../compute/fft/real-fft';
import { computeSpectrum } from '../compute/spectrum/array-spectrum';
import { createLocalStorage } from '../storage';
import { appendSamples, createDataArray } from '../storage/arrays';
import { demoSamples } from '../compute/signals/demo-signal';

interface Options {
  exponents: number[];
  welchSamples: number;
}

function timeIt(work: () => void, minimumMs = 300): number {
  work(); // warm up (plans, JIT)
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minimumMs || times.length < 5) {
    const t = performance.now();
    work();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export async function run({ exponents, welchSamples }: Options) {
  // ndarray-fft (through its dependencies) expects Node's `global`.
  (globalThis as { global?: unknown }).global = globalThis;
  const { default: ndarrayFft } = await import('ndarray-fft');
  const pffft = await PFFFT({ locateFile: () => '/node_modules/@echogarden/pffft-wasm/dist/simd/pffft.wasm' });
  const results: Record<string, number> = {};
  results['ours_uses_pffft'] = (await loadFastFft()) ? 1 : 0;
  for (const exponent of exponents) {
    const size = 2 ** exponent;
    const signal = Float64Array.from({ length: size }, (_, i) => Math.sin(i * 0.01) + Math.cos(i * 0.37));
    results[`ours_ms_${exponent}`] = timeIt(() => powerSpectrum(signal));

    const fftjs = new FFT(size);
    const out = fftjs.createComplexArray();
    results[`fftjs_ms_${exponent}`] = timeIt(() => fftjs.realTransform(out, signal));

    const setup = pffft._pffft_new_setup(size, 0); // 0 = real transform
    const input = pffft._pffft_aligned_malloc(size * 4);
    const output = pffft._pffft_aligned_malloc(size * 4);
    const work = pffft._pffft_aligned_malloc(size * 4); // without it pffft uses the (small) wasm stack
    const single = Float32Array.from(signal);
    results[`pffft_ms_${exponent}`] = timeIt(() => {
      pffft.HEAPF32.set(single, input >> 2);
      pffft._pffft_transform_ordered(setup, input, output, work, 0); // 0 = forward
    });
    pffft._pffft_aligned_free(input);
    pffft._pffft_aligned_free(output);
    pffft._pffft_aligned_free(work);
    pffft._pffft_destroy_setup(setup);

    if (exponent <= 20) {
      const real = new Float64Array(size);
      const imaginary = new Float64Array(size);
      results[`ndarray_ms_${exponent}`] = timeIt(() => {
        real.set(signal);
        imaginary.fill(0);
        ndarrayFft(1, ndarray(real), ndarray(imaginary));
      }, 100);
    }
    console.log(`2^${exponent} done`);
  }

  const storage = createLocalStorage(`bench-fft-${Date.now()}`);
  const id = await createDataArray(storage, { title: 'welch', dtype: 'float32', sampling_rate: 48000 });
  for (let start = 0; start < welchSamples; start += 1 << 21) await appendSamples(storage, id, demoSamples(start, Math.min(1 << 21, welchSamples - start), 1));
  const t = performance.now();
  await computeSpectrum(storage, id, { segment: 65536 });
  results['welch_s'] = (performance.now() - t) / 1000;
  return results;
}
