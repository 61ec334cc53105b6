import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { appendSamples, createDataArray, getDataArray } from '../../storage/arrays';
import { storageArraySource } from './array-source';
import { statisticsOf } from './statistics-document';
import { UnknownStatisticError } from './statistics-error';
import { timesliceStatistics } from './timeslice-statistics';

describe('Statistics documents', () => {
  it('are reused while the array is unchanged, recomputed once it grows, one per parameter set', async () => {
    const storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
    const id = await createDataArray(storage, { title: 'pump', dtype: 'float32', sampling_rate: 1, start_time: '2024-06-01T00:00:00Z' });
    await appendSamples(storage, id, Float32Array.from({ length: 7200 }, (_, i) => i));
    let runs = 0;
    const parameters = { statistics: ['p99'], timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' };
    const compute = async () => {
      runs += 1;
      return timesliceStatistics(storageArraySource(storage, id, await getDataArray(storage, id)), parameters);
    };
    const first = await statisticsOf(storage, id, await getDataArray(storage, id), parameters, compute);
    expect(first).toMatchObject({ reused: false, document: { portal_type: 'Statistics', array: id, title: 'pump: p99 per calendar hour (UTC)' } });
    expect(await storage.get(first.id)).toMatchObject({ array: id, result: { slices: [{ label: '2024-06-01T00:00+00:00' }, {}] } });
    const again = await statisticsOf(storage, id, await getDataArray(storage, id), parameters, compute);
    expect([again.reused, again.id, runs]).toEqual([true, first.id, 1]);
    const other = await statisticsOf(storage, id, await getDataArray(storage, id), { ...parameters, statistics: ['p90'] }, compute);
    expect(other.id).not.toBe(first.id);

    await appendSamples(storage, id, Float32Array.from({ length: 3600 }, () => 1));
    const grown = await statisticsOf(storage, id, await getDataArray(storage, id), parameters, compute);
    expect([grown.reused, grown.id, grown.document.result.slices.length]).toEqual([false, first.id, 3]);
    await expect(statisticsOf(storage, id, await getDataArray(storage, id), { statistics: ['fastest'] }, compute)).rejects.toBeInstanceOf(UnknownStatisticError);
  });
});
