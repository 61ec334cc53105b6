import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { newExperiment } from './experiment-document';
import { newSignal } from './signal-document';
import { resolveSignal } from './resolve-signal';

async function fixture() {
  const storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  // 10 minutes at 1 Hz from 10:00, and an array without time.
  const timed = await createDataArray(storage, { title: 'D1', reference: 'digitizer-1', dtype: 'float32', channels: 2, sampling_rate: 1, start_time: '2024-06-01T10:00:00Z' });
  await appendSamples(storage, timed, new Float32Array(1200));
  const shot = await storage.post(newExperiment({ name: 'Shot 1', start: '2024-06-01T10:05:00Z', end: '2024-06-01T10:06:00Z' }));
  const later = await storage.post(newExperiment({ name: 'Shot 2', start: '2024-06-01T11:00:00Z', end: '2024-06-01T11:01:00Z' }));
  const since = '2024-05-01T00:00:00Z';
  const common = { calibration: { kind: 'linear', gain: 1, offset: 0 } as const, units: { raw: 'V', calibrated: 'A' }, since };
  await storage.post(newSignal({ name: 'Langmuir_I', bindings: [{ ...common, id: 'b1', valid: { from: '2024-06-01T00:00:00Z' }, array: { reference: 'digitizer-1' }, channel: 1 }] }));
  await storage.post(newSignal({ name: 'Wide', bindings: [{ ...common, id: 'b1', valid: { experiments: [shot] }, array: { id: timed }, channel: 2 }] }));
  return { storage, timed, shot, later };
}

describe('resolveSignal in a storage', () => {
  it('finds the signal by name, the experiment, its array by time overlap', async () => {
    const { storage, timed, shot } = await fixture();
    const resolved = await resolveSignal(storage, 'Langmuir_I', shot);
    expect(resolved).toMatchObject({ arrayId: timed, experimentId: shot, binding: { id: 'b1', channel: 1 }, array: { reference: 'digitizer-1' } });
  });

  it('says what is missing', async () => {
    const { storage, shot, later } = await fixture();
    await expect(resolveSignal(storage, 'Nope', shot)).rejects.toThrow('No signal is named “Nope”');
    await expect(resolveSignal(storage, 'Langmuir_I', later)).rejects.toThrow('experiment “Shot 2” (' + later + ') has none: it has no arrays');
    await expect(resolveSignal(storage, 'Wide', shot)).rejects.toThrow('reads channel 3 of “D1” (binding b1), which has 2');
    await expect(resolveSignal(storage, 'Langmuir_I', 'missing-experiment')).rejects.toMatchObject({ status: 404 });
  });

  it('two signals of one name: 409 naming both', async () => {
    const { storage, shot } = await fixture();
    await storage.post(newSignal({ name: 'Langmuir_I' }));
    await expect(resolveSignal(storage, 'Langmuir_I', shot)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('2 signals are named “Langmuir_I”') });
  });
});
