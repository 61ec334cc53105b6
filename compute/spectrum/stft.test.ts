import { describe, expect, it } from 'vitest';
import { MemoryStorage, UuidStorage, type Storage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { FLOOR_DB, computeSpectrogram, type Spectrogram } from './stft';

const RATE = 8000;

/** A storage whose attachment reads are recorded (the real reads of the memory storage, counted). */
function countingStorage(): { storage: Storage; reads: { start: number; end: number }[] } {
  const storage = new UuidStorage(new MemoryStorage());
  const reads: { start: number; end: number }[] = [];
  const original = storage.getAttachment.bind(storage);
  storage.getAttachment = ((id: string, name: string, options?: { start?: number; end?: number }) => {
    if (name === 'data') reads.push({ start: options?.start ?? 0, end: options?.end ?? Infinity });
    return original(id, name, options as never);
  }) as Storage['getAttachment'];
  return { storage, reads };
}

/** An array of `length` samples × channels, value(sample, channel), appended in chunks. */
async function makeArray(storage: Storage, length: number, channels: number, value: (i: number, channel: number) => number, rate: number | null = RATE): Promise<string> {
  const id = await createDataArray(storage, { title: 'signal', dtype: 'float32', channels, ...(rate ? { sampling_rate: rate } : {}) });
  const chunk = 1 << 18;
  for (let from = 0; from < length; from += chunk) {
    const rows = Math.min(chunk, length - from);
    const samples = new Float32Array(rows * channels);
    for (let row = 0; row < rows; row += 1) for (let c = 0; c < channels; c += 1) samples[row * channels + c] = value(from + row, c);
    await appendSamples(storage, id, samples);
  }
  return id;
}

const sine = (frequency: number, i: number, amplitude = 1) => amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE);

/** The bin of the highest value of column `column` among bins [from, to). */
function peakBin(result: Spectrogram, column: number, from = 0, to = result.bins): number {
  let best = from;
  for (let k = from; k < to; k += 1) if (result.db[column * result.bins + k]! > result.db[column * result.bins + best]!) best = k;
  return best;
}

describe('computeSpectrogram', () => {
  it('puts two tones in their bins in every column, and follows a chirp on another channel', async () => {
    const { storage } = countingStorage();
    const length = 4 * RATE;
    // Channel 0: 1000 Hz plus a weaker 2500 Hz. Channel 1: a linear chirp from 500 to 1500 Hz over 4 s.
    const chirpPhase = (i: number) => 2 * Math.PI * (500 * (i / RATE) + (1000 / (2 * 4)) * (i / RATE) ** 2);
    const id = await makeArray(storage, length, 2, (i, c) => (c === 0 ? sine(1000, i) + sine(2500, i, 0.5) : Math.sin(chirpPhase(i))));
    const tones = await computeSpectrogram(storage, id, { segment: 256, columns: 32 });
    expect(tones).toMatchObject({ columns: 32, bins: 129, frequencyStep: RATE / 256, timeStep: 4 / 32, timeStart: 4 / 64, timeUnit: 's', frequencyUnit: 'Hz' });
    expect(tones.db).toHaveLength(32 * 129);
    for (let column = 0; column < tones.columns; column += 1) {
      expect(Math.abs(peakBin(tones, column) - 1000 / tones.frequencyStep)).toBeLessThanOrEqual(1);
      // The weaker tone is the highest point away from the stronger one.
      expect(Math.abs(peakBin(tones, column, 1000 / tones.frequencyStep + 8) - 2500 / tones.frequencyStep)).toBeLessThanOrEqual(1);
    }
    const chirp = await computeSpectrogram(storage, id, { channel: 1, segment: 256, columns: 32 });
    for (let column = 0; column < chirp.columns; column += 1) {
      const time = chirp.timeStart + column * chirp.timeStep;
      const frequency = 500 + (1000 / 4) * time;
      expect(Math.abs(peakBin(chirp, column) - frequency / chirp.frequencyStep), `column ${column}`).toBeLessThanOrEqual(1);
    }
  });

  it('shows a tone that switches frequency halfway in the right columns', async () => {
    const { storage } = countingStorage();
    const length = 2 * RATE;
    const id = await makeArray(storage, length, 1, (i) => sine(i < length / 2 ? 600 : 3000, i));
    const result = await computeSpectrogram(storage, id, { segment: 512, columns: 40 });
    expect(result.columns).toBe(40);
    const switchTime = 1;
    for (let column = 0; column < result.columns; column += 1) {
      const time = result.timeStart + column * result.timeStep;
      // The column around the switch mixes both tones: skip columns whose slice or segments touch it.
      if (Math.abs(time - switchTime) < result.timeStep / 2 + 512 / RATE) continue;
      const expected = (time < switchTime ? 600 : 3000) / result.frequencyStep;
      expect(Math.abs(peakBin(result, column) - expected), `column ${column}`).toBeLessThanOrEqual(1);
    }
  });

  it('half-overlaps segments on a short range and analyses only [start, end)', async () => {
    const { storage } = countingStorage();
    const id = await makeArray(storage, 8192, 1, (i) => sine(i < 4096 ? 500 : 2000, i));
    const all = await computeSpectrogram(storage, id, { segment: 1024 });
    expect(all.columns).toBe((8192 - 1024) / 512 + 1); // fewer segments than the column limit: one column each
    expect(all.segmentsPerColumn).toBe(1);
    const second = await computeSpectrogram(storage, id, { segment: 1024, start: 4096, end: 8192 });
    expect(second).toMatchObject({ start: 4096, end: 8192, columns: 7 });
    expect(second.timeStart).toBeCloseTo((4096 + 4096 / 14) / RATE, 9);
    for (let column = 0; column < second.columns; column += 1) expect(Math.abs(peakBin(second, column) - 2000 / second.frequencyStep)).toBeLessThanOrEqual(1);
  });

  it('gives one zero-padded column for a range shorter than a segment, in samples without a sampling rate', async () => {
    const { storage } = countingStorage();
    const id = await makeArray(storage, 300, 1, (i) => Math.sin(2 * Math.PI * 0.125 * i), null);
    const result = await computeSpectrogram(storage, id, { segment: 1024 });
    expect(result).toMatchObject({ columns: 1, bins: 513, frequencyStep: 1 / 1024, timeStart: 150, timeStep: 300, timeUnit: 'sample', frequencyUnit: 'cycles/sample' });
    expect(Math.abs(peakBin(result, 0) - 0.125 * 1024)).toBeLessThanOrEqual(1);
  });

  it('floors silence at FLOOR_DB', async () => {
    const { storage } = countingStorage();
    const id = await makeArray(storage, 4096, 1, () => 0);
    const result = await computeSpectrogram(storage, id, { segment: 256 });
    expect(result.minDb).toBe(FLOOR_DB);
    expect(result.maxDb).toBe(FLOOR_DB);
  });

  describe('on a long array', () => {
    const length = 1 << 22; // 4 Mi samples, 16 MiB
    const long = (async () => {
      const counted = countingStorage();
      return { ...counted, id: await makeArray(counted.storage, length, 1, (i) => sine(1500, i)) };
    })();

    it('reads only a few segments per column when they lie far apart', async () => {
      const { storage, reads, id } = await long;
      reads.length = 0;
      const result = await computeSpectrogram(storage, id, { segment: 1024, columns: 16, averages: 2 });
      expect(result).toMatchObject({ columns: 16, segmentsPerColumn: 2 });
      // One read per segment, one segment long: 32 × 4 KiB of the 16 MiB.
      expect(reads).toHaveLength(32);
      for (const read of reads) expect(read.end - read.start).toBe(1024 * 4);
      for (let column = 0; column < result.columns; column += 1) expect(Math.abs(peakBin(result, column) - 1500 / result.frequencyStep)).toBeLessThanOrEqual(1);
    });

    it('keeps columns, reads and their size bounded with the defaults', async () => {
      const { storage, reads, id } = await long;
      reads.length = 0;
      const progress: number[] = [];
      const result = await computeSpectrogram(storage, id, {}, { onProgress: (fraction) => progress.push(fraction) });
      expect(result).toMatchObject({ columns: 512, segmentsPerColumn: 4, bins: 513 });
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.length).toBeLessThanOrEqual(512 * 4);
      // Close segments share reads, each at most 1 MiB: never the whole array at once.
      expect(Math.max(...reads.map((read) => read.end - read.start))).toBeLessThanOrEqual(1 << 20);
      expect(progress).toHaveLength(512);
      expect(progress.at(-1)).toBe(1);
      for (let column = 0; column < result.columns; column += 1) expect(Math.abs(peakBin(result, column) - 1500 / result.frequencyStep)).toBeLessThanOrEqual(1);
    });

    it('stops reading when aborted, and refuses an aborted signal', async () => {
      const { storage, reads, id } = await long;
      reads.length = 0;
      const controller = new AbortController();
      const abortEarly = (fraction: number) => fraction >= 0.1 && controller.abort();
      const run = computeSpectrogram(storage, id, { segment: 1024, columns: 32, averages: 1 }, { signal: controller.signal, onProgress: abortEarly });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      // 32 reads planned (segments 512 KiB apart); aborted after 4 columns, with at most 4 reads ahead.
      const readsAtAbort = reads.length;
      expect(readsAtAbort).toBeLessThanOrEqual(4 + 4);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(reads.length).toBe(readsAtAbort);
      await expect(computeSpectrogram(storage, id, {}, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  it('merges the reads of neighbouring segments into few bounded reads', async () => {
    const { storage, reads } = countingStorage();
    const id = await makeArray(storage, 1 << 18, 1, (i) => sine(700, i));
    reads.length = 0;
    const result = await computeSpectrogram(storage, id, { segment: 1024, columns: 512 });
    expect(result.columns).toBe(511); // (2^18 − 1024) / 512 + 1 half-overlapping segments
    // 511 overlapping segments of a 1 MiB array: one read.
    expect(reads).toEqual([{ start: 0, end: 1 << 20 }]);
  });

  it('refuses bad parameters and ranges', async () => {
    const { storage } = countingStorage();
    const id = await makeArray(storage, 100, 1, (i) => i);
    await expect(computeSpectrogram(storage, id, { segment: 1000 })).rejects.toThrow('power of two');
    await expect(computeSpectrogram(storage, id, { channel: 1 })).rejects.toThrow('no channel 1');
    await expect(computeSpectrogram(storage, id, { start: 99 })).rejects.toThrow('at least 2');
    await expect(computeSpectrogram(storage, id, { columns: 0 })).rejects.toThrow('columns');
  });
});
