import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { getDataArray, readRange } from '../../storage/arrays';
import { encodeWav } from './wav-encoder';
import { importWav } from './import-wav';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

describe('importing a WAV file', () => {
  it('keeps the bytes as a Data Stream and the samples as one Data Array per channel', async () => {
    const storage = stack();
    const frames = 5000;
    const interleaved = Array.from({ length: frames * 2 }, (_, i) => (i % 2 === 0 ? 0.5 : -0.25) * Math.sin(i * 0.01));
    const bytes = encodeWav(interleaved, { channels: 2, sampleRate: 16000, bits: 16 });
    const file = Object.assign(new Blob([bytes], { type: 'audio/wav' }), { name: 'pump.wav' });
    const progress: number[] = [];
    const { streamId, arrayIds } = await importWav(storage, file, { onProgress: (f) => progress.push(f) });
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
    await expect(importWav(storage, file)).rejects.toThrow(/cut\.wav \(at byte \d+\): the file is truncated/);
    expect((await storage.allDocs()).total_rows).toBe(0);

    const controller = new AbortController();
    controller.abort();
    const good = Object.assign(new Blob([encodeWav([0.1, 0.2])]), { name: 'ok.wav' });
    await expect(importWav(storage, good, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect((await storage.allDocs()).total_rows).toBe(0);
  });
});
