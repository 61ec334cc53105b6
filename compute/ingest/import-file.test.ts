import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { getDataArray, readRange } from '../../storage/arrays';
import { encodeWav } from './wav-encoder';
import { ArraysWriter, importFile } from './import-file';
import { npyHeader, npyShape } from './npy-encoder';
import { streamBytesAt } from './stream-bytes';

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

  it('keeps each row’s time in a time channel when the times are not evenly spaced', async () => {
    const storage = stack();
    const csv = 'timestamp,temperature\n2024-06-01T10:00:00Z,20.5\n2024-06-01T10:00:10Z,21\n2024-06-01T10:59:59.5Z,22\n2024-06-01T11:30:00+02:00,23\n';
    const { arrayIds } = await importFile(storage, Object.assign(new Blob([csv]), { name: 'logger.csv' }));
    expect(arrayIds).toHaveLength(1);
    const doc = await getDataArray(storage, arrayIds[0]!);
    expect(doc).toMatchObject({ dtype: 'float64', shape: [4, 2], time_channel: 1, start_time: '2024-06-01T10:00:00.000Z', channel_labels: ['temperature', 'time'], status: 'complete' });
    expect(doc.sampling_rate).toBeUndefined();
    // [value, seconds after the start] per row; 11:30+02:00 is 09:30Z, before the start (statistics refuse a time that goes back).
    expect(Array.from((await readRange(storage, doc, arrayIds[0]!, 0, 4)).data)).toEqual([20.5, 0, 21, 10, 22, 3599.5, 23, -1800]);
  });

  it('rewrites arrays written as evenly spaced with their times when later rows turn uneven', async () => {
    const storage = stack();
    // Seconds (not dates): the time channel holds them as they are. Even for 5 rows (two appends of 2), then a gap.
    const rows = ['t,a,b', '100,1,-1', '100.5,2,-2', '101,3,-3', '101.5,4,-4', '102,5,-5', '110,6,-6', '110.25,7,-7'];
    const decoderInput = Object.assign(new Blob([rows.join('\n')]), { name: 'gaps.csv' });
    const stream = await storage.post({ portal_type: 'Data Stream', title: 'gaps.csv' });
    const writer = new ArraysWriter(storage, 'gaps.csv', stream, { framesPerAppend: 2 });
    const bytes = new Uint8Array(await decoderInput.arrayBuffer());
    for (let at = 0; at < bytes.length; at += 12) await writer.push(bytes.subarray(at, at + 12));
    const ids = await writer.finish();
    expect(ids).toHaveLength(2);
    const all = await storage.allDocs({ query: 'portal_type: "Data Array"' });
    expect(all.total_rows).toBe(2); // the evenly spaced ones are gone
    const b = await getDataArray(storage, ids[1]!);
    expect(b).toMatchObject({ shape: [7, 2], time_channel: 1, channel_labels: ['b', 'time'] });
    expect(b.start_time).toBeUndefined();
    expect(Array.from((await readRange(storage, b, ids[1]!, 0, 7)).data)).toEqual([-1, 100, -2, 100.5, -3, 101, -4, 101.5, -5, 102, -6, 110, -7, 110.25]);
  });

  it('names the file, line and column of a bad row, and keeps nothing', async () => {
    const storage = stack();
    const ragged = Object.assign(new Blob(['a,b\n1,2\n3\n']), { name: 'ragged.csv' });
    await expect(importFile(storage, ragged)).rejects.toThrow('ragged.csv (line 3): this row has 1 columns where the first has 2.');
    const words = Object.assign(new Blob(['a,b\n1,2\n3,four\n']), { name: 'words.csv' });
    await expect(importFile(storage, words)).rejects.toThrow('words.csv (line 3): column 2 holds “four”, which is not a number.');
    const photo = Object.assign(new Blob(['GIF89a']), { name: 'photo.gif' });
    await expect(importFile(storage, photo)).rejects.toThrow('photo.gif: this kind of file cannot be imported yet: use WAV, CSV or .npy.');
    const empty = Object.assign(new Blob(['']), { name: 'empty.csv' });
    await expect(importFile(storage, empty)).rejects.toThrow('empty.csv: the file is empty.');
    expect((await storage.allDocs()).total_rows).toBe(0);
  });
});

/** A .npy file as NumPy writes it (version 1 header padded to 64 bytes). */
function npy(descr: string, shape: number[], values: ArrayLike<number>, write: (view: DataView, at: number, value: number) => number): Uint8Array<ArrayBuffer> {
  const head = npyHeader(descr, npyShape(shape));
  const body = new Uint8Array(values.length * 8);
  const view = new DataView(body.buffer);
  let at = 0;
  for (let index = 0; index < values.length; index += 1) at += write(view, at, values[index]!);
  const file = new Uint8Array(head.length + at);
  file.set(head);
  file.set(body.subarray(0, at), head.length);
  return file;
}

describe('importing a .npy file', () => {
  it('reads a 2-D int16 array as channels, and a big-endian float64 vector', async () => {
    const storage = stack();
    const values = Array.from({ length: 600 }, (_, i) => (i % 3) * 100 - i);
    const matrix = Object.assign(new Blob([npy('<i2', [200, 3], values, (view, at, value) => (view.setInt16(at, value, true), 2))]), { name: 'grid.npy' });
    const { arrayIds } = await importFile(storage, matrix);
    expect(arrayIds).toHaveLength(3);
    const third = await getDataArray(storage, arrayIds[2]!);
    expect(third.shape).toEqual([200]);
    expect((await readRange(storage, third, arrayIds[2]!, 7, 8)).get(0, 0)).toBe(values[7 * 3 + 2]);
    const vector = Object.assign(new Blob([npy('>f8', [5], [0.5, 1.5, 2.5, 3.5, 4.5], (view, at, value) => (view.setFloat64(at, value, false), 8))]), { name: 'v.npy' });
    const single = (await importFile(storage, vector)).arrayIds;
    const doc = await getDataArray(storage, single[0]!);
    expect([...(await readRange(storage, doc, single[0]!, 0, 5)).data]).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
  });

  it('refuses a truncated or 3-D array with the file named', async () => {
    const storage = stack();
    const full = npy('<f4', [100], new Array(100).fill(1), (view, at, value) => (view.setFloat32(at, value, true), 4));
    const cut = Object.assign(new Blob([full.subarray(0, full.length - 8)]), { name: 'cut.npy' });
    await expect(importFile(storage, cut)).rejects.toThrow(/cut\.npy \(at byte \d+\): the file is truncated: 2 values/);
    const cube = Object.assign(new Blob([npy('<f4', [2, 2, 2], new Array(8).fill(1), (view, at, value) => (view.setFloat32(at, value, true), 4))]), { name: 'cube.npy' });
    await expect(importFile(storage, cube)).rejects.toThrow('a 3-D array cannot be imported');
    expect((await storage.allDocs()).total_rows).toBe(0);
  });
});

describe('importing raw samples with a declared format', () => {
  /** 2 channels of big-endian int16: channel 1 counts up, channel 2 down. */
  function rawInt16(frames: number): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(frames * 4);
    const view = new DataView(bytes.buffer);
    for (let frame = 0; frame < frames; frame += 1) {
      view.setInt16(frame * 4, frame, false);
      view.setInt16(frame * 4 + 2, -frame, false);
    }
    return bytes;
  }

  it('keeps the format on the stream and makes one array per channel with the declared rate', async () => {
    const storage = stack();
    const bytes = rawInt16(3000);
    const file = Object.assign(new Blob([bytes]), { name: 'logger.bin' });
    const rawFormat = { dtype: 'int16', channels: 2, sampleRate: 8000, littleEndian: false } as const;
    const { streamId, arrayIds } = await importFile(storage, file, { rawFormat });
    expect(await storage.get(streamId)).toMatchObject({ content_type: 'application/octet-stream', raw_format: rawFormat, status: 'complete' });
    expect((await storage.allAttachments(streamId))['data']?.length).toBe(bytes.length);
    expect(arrayIds).toHaveLength(2);
    const second = await getDataArray(storage, arrayIds[1]!);
    expect(second).toMatchObject({ shape: [3000], sampling_rate: 8000, title: 'logger.bin — channel 2', source: streamId });
    expect([...(await readRange(storage, second, arrayIds[1]!, 2997, 3000)).data]).toEqual([-2997, -2998, -2999]);
  });

  it('refuses a raw file without a format, a ragged one and a bad format before writing anything', async () => {
    const storage = stack();
    const file = (bytes: Uint8Array<ArrayBuffer>, name: string) => Object.assign(new Blob([bytes]), { name });
    await expect(importFile(storage, file(rawInt16(10), 'noformat.dat'))).rejects.toThrow('noformat.dat: raw samples have no header: declare their format');
    const ragged = file(rawInt16(10).subarray(0, 39), 'ragged.bin');
    await expect(importFile(storage, ragged, { rawFormat: { dtype: 'int16', channels: 2, littleEndian: false } })).rejects.toThrow('ragged.bin (at byte 36): 3 bytes are left over');
    await expect(importFile(storage, file(rawInt16(10), 'wide.raw'), { rawFormat: { dtype: 'int16', channels: 2000, littleEndian: true } })).rejects.toThrow('wide.raw: the channel count');
    expect((await storage.allDocs()).total_rows).toBe(0);
  });

  it('keeps every byte and sample of a file larger than one append, in order', async () => {
    const storage = stack();
    const samples = new Float32Array(5_000_123); // 20 MB: the stream takes several appends, the array one and a tail
    for (let index = 0; index < samples.length; index += 1) samples[index] = (index % 65_521) - index * 1e-3;
    // In pieces of 64 KiB, as a browser reads a file from disk.
    const pieces = Array.from({ length: Math.ceil(samples.byteLength / 65_536) }, (_, k) => samples.subarray(k * 16_384, (k + 1) * 16_384));
    const file = Object.assign(new Blob(pieces), { name: 'long.f32' });
    const { streamId, arrayIds } = await importFile(storage, file, { rawFormat: { dtype: 'float32', channels: 1, littleEndian: true } });
    // One channel of little-endian float32: the file's bytes are the array's samples, kept once, in the array.
    const stream = await storage.get(streamId);
    expect(stream['data_in_array']).toBe(arrayIds[0]);
    expect(await storage.allAttachments(streamId)).toEqual({});
    const at = streamBytesAt(streamId, stream);
    const stored = new Float32Array(await storage.getAttachment(at.id, at.name, { format: 'arraybuffer' }));
    expect(sameBytes(stored, samples)).toBe(true);
    const array = await getDataArray(storage, arrayIds[0]!);
    expect(array.shape).toEqual([samples.length]);
    expect(sameBytes((await readRange(storage, array, arrayIds[0]!, 0, samples.length)).data as Float32Array, samples)).toBe(true);
  });
});

/** Byte-for-byte equality (toEqual on millions of elements takes minutes). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
