import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../memory/memory-storage';
import { StorageError } from '../storage-error';
import { getDataArray, readRange } from './data-array';

const usable = { portal_type: 'Data Array', dtype: 'float32', shape: [4], pyramid: { base: 512, dtype: 'float32' } };

async function stored(doc: Record<string, unknown>): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  await storage.put('a', doc);
  return storage;
}

async function refusal(doc: Record<string, unknown>): Promise<StorageError> {
  const error = await getDataArray(await stored(doc), 'a').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

describe('a Data Array document read from storage (it may come from any device or server)', () => {
  it('keeps well-typed fields as they are', async () => {
    const doc = { ...usable, title: 'Pump', reference: 'r', modification_date: 'd', units: { x: 'Frequency (Hz)', y: 'dB' }, channel_labels: ['left'], sampling_rate: 2, x_start: -1, source: 's', start_time: 't' };
    expect(await getDataArray(await stored(doc), 'a')).toEqual(doc);
  });

  it('makes ill-typed descriptive fields safe, so the array can still be shown', async () => {
    const doc = await getDataArray(
      await stored({
        ...usable,
        title: { html: '<img src=x onerror=alert(1)>' },
        reference: 7,
        units: { x: ['<b>'], y: { toString: 'x' } },
        channel_labels: ['left', { evil: true }],
        sampling_rate: '1000',
        x_start: 'later',
        source: 42,
        start_time: {},
        process: 'done',
      }),
      'a',
    );
    expect(doc).toEqual({ ...usable, title: '', reference: '', modification_date: '', units: {} });
    for (const units of ['m/s', 3, ['x'], null]) expect((await getDataArray(await stored({ ...usable, units }), 'a')).units).toBeUndefined();
    expect((await getDataArray(await stored({ ...usable, sampling_rate: -5 }), 'a')).sampling_rate).toBeUndefined();
    expect((await getDataArray(await stored({ ...usable, sampling_rate: 0 }), 'a')).sampling_rate).toBeUndefined();
  });

  it('refuses with a 400 naming the field when the data cannot be read by it', async () => {
    for (const shape of [['4'], [4.5], [-1], [4, 0], [], [1, 2, 3], 'big', { 0: 4 }]) {
      const error = await refusal({ ...usable, shape });
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/its shape is .* not \[samples\] or \[samples, channels\]/);
    }
    expect((await refusal({ ...usable, dtype: '<script>' })).message).toContain('its dtype is "<script>"');
    expect((await refusal({ ...usable, pyramid: undefined })).message).toContain('its pyramid is missing');
    expect((await refusal({ ...usable, pyramid: { base: '512', dtype: 'float32' } })).status).toBe(400);
    expect((await refusal({ ...usable, portal_type: 'Image' })).message).toBe('“a” is not a Data Array.');
    // The time channel says what the other channels mean: an index beside at least one value channel.
    const timed = { ...usable, dtype: 'float64', shape: [4, 2], pyramid: { base: 512, dtype: 'float64' } };
    expect((await getDataArray(await stored({ ...timed, time_channel: 1 }), 'a')).time_channel).toBe(1);
    for (const time_channel of [2, -1, 0.5, '0', null]) {
      expect((await refusal({ ...timed, time_channel })).message).toMatch(/its time_channel is .*, not a channel index below 2/);
    }
    expect((await refusal({ ...usable, time_channel: 0 })).message).toContain('not a channel index below 1 with a value channel beside it');
    // A long bad value is cut short in the message.
    expect((await refusal({ ...usable, shape: ['x'.repeat(500)] })).message.length).toBeLessThan(300);
  });

  it('reads data by a checked document', async () => {
    const storage = await stored({ ...usable, title: ['not text'] });
    await storage.putAttachment('a', 'data', new Float32Array([1, 2, 3, 4]));
    const doc = await getDataArray(storage, 'a');
    expect(Array.from((await readRange(storage, doc, 'a', 0, 4)).data)).toEqual([1, 2, 3, 4]);
  });
});
