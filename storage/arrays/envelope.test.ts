import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../memory/memory-storage';
import { UuidStorage } from '../uuid/uuid-storage';
import { appendSamples, createDataArray, getDataArray, iterateChunks, readRange } from './data-array';
import { readEnvelope } from './envelope';

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function bruteForce(values: Float32Array, channels: number, channel: number, start: number, end: number) {
  let min = NaN;
  let max = NaN;
  for (let row = start; row < end; row += 1) {
    const value = values[row * channels + channel]!;
    if (Number.isNaN(value)) continue;
    if (!(value >= min)) min = Number.isNaN(min) ? value : Math.min(min, value);
    if (!(value <= max)) max = Number.isNaN(max) ? value : Math.max(max, value);
  }
  return { first: values[start * channels + channel], last: values[(end - 1) * channels + channel], min, max };
}

describe('Data Array envelope (pyramid) equals brute-force M4', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random data with NaN and ±Infinity, appended in random pieces (seed ${seed})`, async () => {
      const next = random(seed);
      const storage = new UuidStorage(new MemoryStorage());
      const channels = 1 + Math.floor(next() * 3);
      const total = 3000 + Math.floor(next() * 40_000);
      const values = new Float32Array(total * channels);
      for (let index = 0; index < values.length; index += 1) {
        const roll = next();
        values[index] = roll < 0.02 ? NaN : roll < 0.021 ? Infinity : roll < 0.022 ? -Infinity : Math.fround((next() - 0.5) * 1000);
      }
      // One all-NaN stretch longer than a block.
      values.fill(NaN, 1000 * channels, 2200 * channels);
      const id = await createDataArray(storage, { title: 't', dtype: 'float32', channels });
      for (let row = 0; row < total; ) {
        const piece = Math.min(total - row, 1 + Math.floor(next() * 5000));
        await appendSamples(storage, id, values.slice(row * channels, (row + piece) * channels));
        row += piece;
      }
      const doc = await getDataArray(storage, id);
      expect(doc.shape[0]).toBe(total);
      for (let trial = 0; trial < 40; trial += 1) {
        const a = Math.floor(next() * total);
        const b = a + Math.floor(next() * (total - a + 50));
        const width = 1 + Math.floor(next() * 60);
        const envelope = await readEnvelope(storage, doc, id, a, b, width);
        const end = Math.min(b, total);
        // Columns tile [a, end) exactly, and there are about width of them at most.
        expect(envelope.starts[0] ?? end).toBe(a);
        for (let column = 0; column < envelope.starts.length; column += 1) {
          if (column > 0) expect(envelope.starts[column]).toBe(envelope.ends[column - 1]);
          expect(envelope.ends[column]!).toBeGreaterThan(envelope.starts[column]!);
        }
        expect(envelope.ends.at(-1) ?? a).toBe(end);
        expect(envelope.starts.length).toBeLessThanOrEqual(Math.max(4 * width, width + 2));
        for (let channel = 0; channel < channels; channel += 1) {
          for (let column = 0; column < envelope.starts.length; column += 1) {
            const expected = bruteForce(values, channels, channel, envelope.starts[column]!, envelope.ends[column]!);
            const got = envelope.channels[channel]!;
            expect([got.first[column], got.last[column], got.min[column], got.max[column]], `seed ${seed} trial ${trial} column ${column}`).toEqual([
              expected.first,
              expected.last,
              expected.min,
              expected.max,
            ]);
          }
        }
      }
    });
  }
});

describe('Data Array reads', () => {
  it('reads exact ranges as views and walks the array chunk by chunk', async () => {
    const storage = new UuidStorage(new MemoryStorage());
    const id = await createDataArray(storage, { title: 'two channels', dtype: 'int16', channels: 2, sampling_rate: 100 });
    const values = Int16Array.from({ length: 2000 }, (_, index) => index - 1000);
    await appendSamples(storage, id, values.slice(0, 700));
    await appendSamples(storage, id, values.slice(700));
    const doc = await getDataArray(storage, id);
    expect(doc.shape).toEqual([1000, 2]);
    const view = await readRange(storage, doc, id, 10, 13);
    expect(view.shape).toEqual([3, 2]);
    expect([view.get(0, 0), view.get(0, 1), view.get(2, 1)]).toEqual([-980, -979, -975]);
    expect((await readRange(storage, doc, id, 990, 5000)).shape).toEqual([10, 2]);
    await expect(readRange(storage, doc, id, 5, 4)).rejects.toMatchObject({ status: 400 });
    let rows = 0;
    for await (const chunk of iterateChunks(storage, id, { chunkSamples: 300 })) {
      expect(chunk.start).toBe(rows);
      expect(chunk.samples.get(0, 0)).toBe(values[rows * 2]);
      rows += chunk.samples.shape[0]!;
    }
    expect(rows).toBe(1000);
  });

  it('refuses samples of the wrong type or ragged channels, and a non-array document', async () => {
    const storage = new UuidStorage(new MemoryStorage());
    const id = await createDataArray(storage, { title: 'x', dtype: 'float32', channels: 2 });
    await expect(appendSamples(storage, id, new Float64Array(4))).rejects.toMatchObject({ status: 400 });
    await expect(appendSamples(storage, id, new Float32Array(3))).rejects.toMatchObject({ status: 400 });
    await storage.put('note', { portal_type: 'Notebook' });
    await expect(getDataArray(storage, 'note')).rejects.toMatchObject({ status: 400 });
  });

  it('an empty array and a single sample give clear envelopes', async () => {
    const storage = new UuidStorage(new MemoryStorage());
    const id = await createDataArray(storage, { title: 'x', dtype: 'float64' });
    let doc = await getDataArray(storage, id);
    const empty = await readEnvelope(storage, doc, id, 0, 100, 50);
    expect(empty.starts.length).toBe(0);
    await appendSamples(storage, id, Float64Array.of(4.5));
    doc = await getDataArray(storage, id);
    const one = await readEnvelope(storage, doc, id, 0, 100, 50);
    expect([...one.starts, ...one.ends, one.channels[0]!.max[0]]).toEqual([0, 1, 4.5]);
  });

  it('the pyramid costs about 2 % of the data', async () => {
    const storage = new UuidStorage(new MemoryStorage());
    const id = await createDataArray(storage, { title: 'x', dtype: 'float32' });
    await appendSamples(storage, id, new Float32Array(1 << 20));
    const attachments = await storage.allAttachments(id);
    const pyramid = Object.entries(attachments)
      .filter(([name]) => name.startsWith('pyramid-'))
      .reduce((sum, [, info]) => sum + info.length, 0);
    expect(pyramid / attachments['data']!.length).toBeLessThan(0.035);
  });
});
