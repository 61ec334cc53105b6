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

describe('a spectrum shared by several workers (Chromium)', () => {
  it('is the same spectrum as one worker computes, and its progress reaches the end', async () => {
    const { createLocalStorage } = await import('../../storage');
    const { createDataArray, appendSamples, getDataArray, readRange, sampleCount } = await import('../../storage/arrays');
    const { computeSpectrum } = await import('../spectrum/array-spectrum');
    const storage = createLocalStorage(`spectrum-parts-${Math.random()}`);
    const rate = 8000;
    const id = await createDataArray(storage, { title: 'two tones', dtype: 'float32', sampling_rate: rate });
    await appendSamples(storage, id, Float32Array.from({ length: 300_000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / rate) + 0.3 * Math.sin((2 * Math.PI * 2500 * i) / rate)));
    const spectrumOf = async (workers: number) => {
      const progress: number[] = [];
      const spectrumId = await computeSpectrum(storage, id, { segment: 4096 }, { workers, recordStep: false, onProgress: (fraction) => progress.push(fraction) });
      const doc = await getDataArray(storage, spectrumId);
      return { values: (await readRange(storage, doc, spectrumId, 0, sampleCount(doc))).data, doc, progress };
    };
    const one = await spectrumOf(1);
    const three = await spectrumOf(3);
    const field = (doc: object, key: string) => (doc as Record<string, unknown>)[key];
    expect(field(three.doc, 'peak')).toEqual(field(one.doc, 'peak'));
    expect(field(one.doc, 'spectrum')).toMatchObject({ segments: 145 }); // ⌊(300,000 − 4096) / 2048⌋ + 1
    expect(field(three.doc, 'spectrum')).toMatchObject({ segments: 145 });
    three.values.forEach((value, bin) => expect(value).toBeCloseTo(one.values[bin]!, 9));
    expect(three.progress.at(-1)).toBeLessThanOrEqual(1);
    expect(three.progress.at(-1)).toBeGreaterThan(0.99);
  });
});
