import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { getDataArray, readRange } from '../../storage/arrays';
import { encodeWav } from './wav-encoder';
import { importFile } from './import-file';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

describe('importing a file', () => {
  it('keeps the bytes as a Data Stream and the samples as one Data Array per channel', async () => {
    const storage = stack();
    const frames = 5000;
    const interleaved = Array.from({ length: frames * 2 }, (_, i) => (i % 2 === 0 ? 0.5 : -0.25) * Math.sin(i * 0.01));
    const bytes = encodeWav(interleaved, { channels: 2, sampleRate: 16000, bits: 16 });
    const file = Object.assign(new Blob([bytes], { type: 'audio/wav' }), { name: 'pump.wav' });
    const progress: number[] = [];
    const { streamId, arrayIds } = await importFile(storage, file, { onProgress: (f) => progress.push(f) });
    expect(arrayIds).toHaveLength(2);
    expect(progress.at(-1)).toBe(1);
    const stream = await storage.get(streamId);
    expect(stream).toMatchObject({ portal_type: 'Data Stream', title: 'pump.wav', status: 'complete', process: [{ name: 'import', status: 'done', result: { arrays: arrayIds } }] });
    expect((await storage.allAttachments(streamId))['data']?.length).toBe(bytes.length);
    const right = await getDataArray(storage, arrayIds[1]!);
    expect(right).toMatchObject({ shape: [frames], sampling_rate: 16000, source: streamId });
    const values = await readRange(storage, right, arrayIds[1]!, 100, 101);
    expect(values.get(0, 0)).toBeCloseTo(interleaved[201]!, 4);
  });

  it('a bad or cancelled file leaves nothing behind', async () => {
    const storage = stack();
    const truncated = encodeWav(Array.from({ length: 1000 }, () => 0.1)).subarray(0, 900);
    const file = Object.assign(new Blob([truncated]), { name: 'cut.wav' });
    await expect(importFile(storage, file)).rejects.toThrow(/cut\.wav \(at byte \d+\): the file is truncated/);
    expect((await storage.allDocs()).total_rows).toBe(0);

    const controller = new AbortController();
    controller.abort();
    const good = Object.assign(new Blob([encodeWav([0.1, 0.2])]), { name: 'ok.wav' });
    await expect(importFile(storage, good, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect((await storage.allDocs()).total_rows).toBe(0);
  });
});

describe('importing a CSV file', () => {
  it('takes the header, the delimiter and the sampling rate from the time column', async () => {
    const storage = stack();
    const csv = ['time;pressure;flow', ...Array.from({ length: 1000 }, (_, i) => `${(i * 0.01).toFixed(2)};${i};${-i / 2}`)].join('\r\n');
    const file = Object.assign(new Blob([csv], { type: 'text/csv' }), { name: 'station.csv' });
    const { arrayIds } = await importFile(storage, file);
    expect(arrayIds).toHaveLength(2);
    const flow = await getDataArray(storage, arrayIds[1]!);
    expect(flow).toMatchObject({ shape: [1000], channel_labels: ['flow'], title: 'station.csv — flow' });
    expect(flow.sampling_rate).toBeCloseTo(100, 6);
    expect((await readRange(storage, flow, arrayIds[1]!, 10, 11)).get(0, 0)).toBe(-5);
  });

  it('names the file, line and column of a bad row, and keeps nothing', async () => {
    const storage = stack();
    const ragged = Object.assign(new Blob(['a,b\n1,2\n3\n']), { name: 'ragged.csv' });
    await expect(importFile(storage, ragged)).rejects.toThrow('ragged.csv (line 3): this row has 1 columns where the first has 2.');
    const words = Object.assign(new Blob(['a,b\n1,2\n3,four\n']), { name: 'words.csv' });
    await expect(importFile(storage, words)).rejects.toThrow('words.csv (line 3): column 2 holds “four”, which is not a number.');
    const photo = Object.assign(new Blob(['GIF89a']), { name: 'photo.gif' });
    await expect(importFile(storage, photo)).rejects.toThrow('photo.gif: this kind of file cannot be imported yet: use WAV or CSV.');
    const empty = Object.assign(new Blob(['']), { name: 'empty.csv' });
    await expect(importFile(storage, empty)).rejects.toThrow('empty.csv: the file is empty.');
    expect((await storage.allDocs()).total_rows).toBe(0);
  });
});
