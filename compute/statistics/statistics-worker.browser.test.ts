import { afterEach, describe, expect, it } from 'vitest';
import { Gadget } from '../../gadgets/core';
import { define } from '../../gadgets/core/test-helpers';
import { IndexedDBStorage } from '../../storage/indexeddb/indexeddb-storage';
import { QueryStorage } from '../../storage/query/query-storage';
import { UuidStorage } from '../../storage/uuid/uuid-storage';
import type { Storage } from '../../storage';
import { appendSamples, createDataArray, getDataArray } from '../../storage/arrays';
import { storageArraySource } from './array-source';
import { declareStatisticsWorker, provideStatisticsReads } from './statistics-host';
import { timesliceStatistics } from './timeslice-statistics';

class Host extends Gadget {
  progress: [number, number][] = [];
  /** Called on each progress report (a test aborts from here: polling for it raced a fast computation). */
  onProgress: () => void = () => undefined;
  constructor(readonly storage: Storage) {
    super();
    provideStatisticsReads(this, async () => this.storage, (done, total) => {
      this.progress.push([done, total]);
      this.onProgress();
    });
  }
}
const hostTag = define(Host);
const roots: Element[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

async function setUp(samples: number) {
  const storage = new QueryStorage(new UuidStorage(new IndexedDBStorage({ name: `statistics-worker-${Math.random()}` })));
  const id = await createDataArray(storage, { title: 'vibration', dtype: 'float32', sampling_rate: 100, start_time: '2024-06-01T10:30:00Z' });
  await appendSamples(storage, id, Float32Array.from({ length: samples }, (_, i) => (i % 977 === 0 ? NaN : Math.sin(i / 50) * 3 + ((i * 7919) % 101) / 100)));
  const host = new (customElements.get(hostTag) as new (storage: Storage) => Host)(storage);
  document.body.append(host);
  roots.push(host);
  return { storage, id, host, doc: await getDataArray(storage, id) };
}

describe('statistics in a worker (Chromium, IndexedDB)', () => {
  it('gives what the same computation gives in the page, reading through the declaring gadget, with progress', async () => {
    const { storage, id, host, doc } = await setUp(1_000_000);
    const worker = await declareStatisticsWorker(host);
    const parameters = { statistics: ['count', 'mean', 'rms', 'median', 'p99'], timeslice: 'minute', timeslice_is_static: true, time_zone: 'UTC' };
    const inWorker = await worker.compute(id, doc, parameters);
    const inPage = await timesliceStatistics(storageArraySource(storage, id, doc), parameters);
    expect(inWorker).toEqual(inPage);
    expect(inWorker.slices).toHaveLength(167); // 10,000 s from 10:30
    expect(host.progress.at(-1)).toEqual([1_000_000, 1_000_000]);
  });

  it('stops reading when the caller aborts, and keeps parameter errors named', async () => {
    const { id, host, doc } = await setUp(2_000_000);
    const worker = await declareStatisticsWorker(host);
    const controller = new AbortController();
    host.onProgress = () => controller.abort();
    const run = worker.compute(id, doc, { statistics: ['p99'], timeslice: 'hour', timeslice_is_static: true }, { signal: controller.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const seen = host.progress.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(host.progress.length).toBeLessThanOrEqual(seen + 1); // at most the read already under way
    expect(host.progress.at(-1)![0]).toBeLessThan(2_000_000);
    await expect(worker.compute(id, doc, { statistics: ['p99'], timeslice: 'hour' })).rejects.toMatchObject({ name: 'StaticFlagMissingError', message: expect.stringContaining('timeslice_is_static') });
  });
});
