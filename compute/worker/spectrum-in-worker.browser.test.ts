import { describe, expect, it } from 'vitest';
import { SpectrumWorker } from './spectrum-in-worker';

describe('spectrum in a worker (Chromium)', () => {
  it('computes Welch spectra from transferred chunks', async () => {
    const rate = 8000;
    const worker = new SpectrumWorker(1, { samplingRate: rate, segment: 4096, scale: 'magnitude' });
    for (let start = 0; start < 40_000; start += 5000) {
      const chunk = Float32Array.from({ length: 5000 }, (_, i) => 0.7 * Math.sin((2 * Math.PI * 1234 * (start + i)) / rate));
      worker.push(chunk);
      expect(chunk.length).toBe(0); // transferred, not copied
    }
    const spectrum = await worker.finish();
    const values = spectrum.values[0]!;
    const peak = values.indexOf(Math.max(...values));
    expect(peak * spectrum.df).toBeCloseTo(1234, -1);
    expect(values[peak]).toBeCloseTo(0.7, 1);
  });

  it('stops when cancelled and keeps errors named', async () => {
    const controller = new AbortController();
    const worker = new SpectrumWorker(1, { samplingRate: 1000, segment: 1024 }, controller.signal);
    worker.push(new Float32Array(10_000));
    controller.abort();
    await expect(worker.finish()).rejects.toMatchObject({ name: 'AbortError' });
    const broken = new SpectrumWorker(1, { samplingRate: -1, segment: 1024 });
    await expect(broken.finish()).rejects.toMatchObject({ name: 'RangeError', message: 'The sampling rate must be above 0.' });
  });
});
