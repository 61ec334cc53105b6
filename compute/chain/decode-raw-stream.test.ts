import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { getDataArray, readRange } from '../../storage/arrays';
import { decodeStream } from './operations';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

describe('decoding a synced raw stream', () => {
  /** A raw stream as another tablet's import leaves it, before its arrays arrive: bytes plus the declared format. */
  const stream = { portal_type: 'Data Stream', title: 'buoy.f32', content_type: 'application/octet-stream', status: 'complete', reference: 'r', modification_date: '2026-01-01' };

  it('decodes it with its stored raw_format', async () => {
    const storage = stack();
    const doc = { ...stream, raw_format: { dtype: 'float32', channels: 1, sampleRate: 50, littleEndian: true } };
    expect(decodeStream.applies(doc)).toBe(true);
    expect(decodeStream.applies(stream)).toBe(false); // octet-stream without a format: nothing to decode it with
    const id = await storage.post(doc);
    await storage.putAttachment(id, 'data', new Float32Array([0.5, -1.5, 2.5]));
    const { arrays } = (await decodeStream.run(storage, id, await storage.get(id), { signal: new AbortController().signal })) as { arrays: string[] };
    const array = await getDataArray(storage, arrays[0]!);
    expect(array).toMatchObject({ shape: [3], sampling_rate: 50, status: 'complete' });
    expect([...(await readRange(storage, array, arrays[0]!, 0, 3)).data]).toEqual([0.5, -1.5, 2.5]);
  });

  it('fails the step, naming the stream, when the stored format is bad', async () => {
    const storage = stack();
    const doc = { ...stream, raw_format: { dtype: 'int12', channels: 1, littleEndian: true } };
    const id = await storage.post(doc);
    await storage.putAttachment(id, 'data', new Uint8Array(4));
    await expect(decodeStream.run(storage, id, doc, { signal: new AbortController().signal })).rejects.toThrow('buoy.f32: the sample type “int12” is unknown');
  });
});
