import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage, type Storage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { newExperiment } from './experiment-document';
import { newSignal, type SignalBinding } from './signal-document';
import { openSignal } from './open-signal';
import { envelopeOfSamples } from './sample-envelope';

const since = '2024-01-01T00:00:00Z';
function bound(array: string, gain: number): SignalBinding[] {
  return [{ id: 'b1', valid: { from: '2024-01-01T00:00:00Z' }, array: { id: array }, channel: 0, calibration: { kind: 'linear', gain, offset: 0 }, units: { raw: 'V', calibrated: 'u' }, since }];
}

async function fixture(): Promise<{ storage: Storage; shot: string }> {
  const storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  // I: 10 Hz from 10:00:00, values 0, 1, 2…; V: 5 Hz from 10:00:01, values 100, 102, 104… (so V(t) = 100 + 2·5·(t − 1 s)).
  const i = await createDataArray(storage, { title: 'I raw', dtype: 'float64', sampling_rate: 10, start_time: '2024-06-01T10:00:00Z' });
  await appendSamples(storage, i, Float64Array.from({ length: 100 }, (_, k) => k));
  const v = await createDataArray(storage, { title: 'V raw', dtype: 'float64', sampling_rate: 5, start_time: '2024-06-01T10:00:01Z' });
  await appendSamples(storage, v, Float64Array.from({ length: 40 }, (_, k) => 100 + 2 * k));
  const shot = await storage.post(newExperiment({ name: 'Shot 1', start: '2024-06-01T10:00:00Z', end: '2024-06-01T10:01:00Z' }));
  await storage.post(newSignal({ name: 'I', units: 'mA', bindings: bound(i, 2) }));
  await storage.post(newSignal({ name: 'V', units: 'V', bindings: bound(v, 1) }));
  await storage.post({ ...newSignal({ name: 'P', units: 'mW' }), formula: 'I * V / 1000' });
  await storage.post({ ...newSignal({ name: 'P2', units: 'mW' }), formula: 'P * 2' });
  return { storage, shot };
}

describe('derived signals: a formula over other signals, by range', () => {
  it('resamples onto the highest rate over the time all inputs cover, and evaluates', async () => {
    const { storage, shot } = await fixture();
    const { plan, source } = await openSignal(storage, 'P', shot);
    expect(plan).toMatchObject({ kind: 'derived', formula: 'I * V / 1000', inputs: { I: { kind: 'bound' }, V: { kind: 'bound' } } });
    // I covers 10:00:00–10:00:10, V 10:00:01–10:00:09: common 10:00:01–10:00:09 at 10 Hz = 80 samples.
    expect(source.doc).toMatchObject({ shape: [80], sampling_rate: 10, start_time: '2024-06-01T10:00:01.000Z', units: { y: 'mW' } });
    // Sample k: t = 1 + k/10 s; I = 2·(10 + k); V = 100 + 2·(5·k/10) = 100 + k (interpolated halfway on odd k).
    const expected = (k: number) => (2 * (10 + k) * (100 + k)) / 1000;
    expect(Array.from(await source.read(0, 4))).toEqual([0, 1, 2, 3].map(expected));
    // The read is clamped to the 80 samples; past V's last sample (10:00:08.8) V is held at it (178).
    expect(Array.from(await source.read(77, 200))).toEqual([...[77, 78].map(expected), (2 * 89 * 178) / 1000]);
  });

  it('a derived signal may read a derived signal; a cycle is refused naming it', async () => {
    const { storage, shot } = await fixture();
    const { source } = await openSignal(storage, 'P2', shot);
    expect((await source.read(1, 2))[0]).toBe((2 * (2 * 11 * 101)) / 1000);
    const loop = await storage.post({ ...newSignal({ name: 'A' }), formula: 'B + 1' });
    await storage.post({ ...newSignal({ name: 'B' }), formula: 'A * 2' });
    await expect(openSignal(storage, 'A', shot)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(`reads itself (through ${loop} → `) });
    await expect(openSignal(storage, 'Nope', shot)).rejects.toThrow('No signal is named “Nope”');
  });

  it('envelopes come from the samples, chunk by chunk, equal to brute force', async () => {
    const values = Float64Array.from({ length: 200_000 }, (_, k) => Math.sin(k / 1000) * (k % 7));
    const read = async (start: number, end: number) => values.subarray(start, end);
    const envelope = await envelopeOfSamples(read, 1000, 150_001, 7);
    expect(envelope.raw).toBe(false);
    for (let column = 0; column < 7; column += 1) {
      const slice = Array.from(values.subarray(envelope.starts[column]!, envelope.ends[column]!));
      expect([envelope.channels[0]!.min[column], envelope.channels[0]!.max[column], envelope.channels[0]!.first[column], envelope.channels[0]!.last[column]]).toEqual([Math.min(...slice), Math.max(...slice), slice[0], slice.at(-1)]);
    }
    expect(envelope.starts[0]).toBe(1000);
    expect(envelope.ends[6]).toBe(150_001);
    expect((await envelopeOfSamples(read, 10, 14, 100)).raw).toBe(true);
  });

  it('a formula that cannot be used is refused on read, naming the field', async () => {
    const { checkSignal } = await import('./signal-document');
    expect(() => checkSignal({ ...newSignal({ name: 'X' }), formula: 'I.constructor' }, 'x')).toThrow('its formula cannot be used: The formula “I.constructor” uses a MemberExpression');
  });

  it('an array recording longer than the experiment: the signal is the part in its time range', async () => {
    const { storage } = await fixture();
    const short = await storage.post(newExperiment({ name: 'Short', start: '2024-06-01T10:00:02.050Z', end: '2024-06-01T10:00:05Z' }));
    const { plan, source } = await openSignal(storage, 'I', short);
    // Samples at 2.1 s … 4.9 s: [21, 50).
    expect(plan).toMatchObject({ kind: 'bound', window: { first: 21, last: 50 } });
    expect(source.doc).toMatchObject({ shape: [29], start_time: '2024-06-01T10:00:02.100Z' });
    expect(Array.from(await source.read(0, 3))).toEqual([42, 44, 46]);
    const envelope = await source.envelope(0, 29, 100);
    expect([envelope.starts[0], envelope.ends[28], envelope.channels[0]!.min[0], envelope.channels[0]!.max[28]]).toEqual([0, 29, 42, 98]);
    // A derived signal over it covers the time both windows share: V's samples in it start at 2.2 s (5 Hz).
    const derived = await openSignal(storage, 'P', short);
    expect(derived.source.doc).toMatchObject({ shape: [28], start_time: '2024-06-01T10:00:02.200Z' });
    expect((await derived.source.read(0, 1))[0]).toBe((44 * 112) / 1000);
  });
});
