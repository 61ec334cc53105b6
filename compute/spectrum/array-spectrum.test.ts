import { describe, expect, it } from 'vitest';
import { MemoryStorage, UuidStorage } from '../../storage';
import { appendSamples, createDataArray, getDataArray, readRange } from '../../storage/arrays';
import { computeSpectrum } from './array-spectrum';

describe('spectrum of a Data Array', () => {
  it('stores a linked spectrum array with the peak at the sine frequency, and records the step on the source', async () => {
    const storage = new UuidStorage(new MemoryStorage());
    const rate = 8000;
    const id = await createDataArray(storage, { title: 'tone', dtype: 'float32', sampling_rate: rate, units: { y: 'V' } });
    const samples = Float32Array.from({ length: 20_000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
    await appendSamples(storage, id, samples);
    const progress: number[] = [];
    const spectrumId = await computeSpectrum(storage, id, { scale: 'magnitude' }, { onProgress: (fraction) => progress.push(fraction) });
    const spectrum = await getDataArray(storage, spectrumId);
    expect(spectrum).toMatchObject({ source: id, units: { x: 'Frequency (Hz)', y: 'V' }, title: 'Spectrum of tone' });
    const peak = spectrum['peak'] as { frequency: number; value: number };
    expect(peak.frequency).toBeCloseTo(440, -1);
    expect(peak.value).toBeCloseTo(0.5, 1);
    expect(progress.at(-1)).toBe(1);
    // x of bin k is k / sampling_rate Hz.
    const bins = spectrum.shape[0];
    const values = await readRange(storage, spectrum, spectrumId, 0, bins);
    const top = Array.from({ length: bins }, (_, k) => values.get(k, 0)).reduce((best, v, k, all) => (v > all[best]! ? k : best), 0);
    expect(top / spectrum.sampling_rate!).toBeCloseTo(peak.frequency, 6);
    const source = await getDataArray(storage, id);
    expect(source.process?.[0]).toMatchObject({ name: 'spectrum', status: 'done', result: { array: spectrumId } });
  });

  it('refuses an array too short for a spectrum', async () => {
    const storage = new UuidStorage(new MemoryStorage());
    const id = await createDataArray(storage, { title: 'one', dtype: 'float32', sampling_rate: 10 });
    await appendSamples(storage, id, Float32Array.of(1));
    await expect(computeSpectrum(storage, id)).rejects.toThrow('at least 2');
  });
});
