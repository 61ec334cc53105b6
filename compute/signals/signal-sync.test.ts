import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { MemoryStorage, QueryStorage, UuidStorage, type Storage } from '../../storage';
import { CouchClient } from '../../storage/remote/couch-client';
import { CouchPeer } from '../../storage/replicate/couch-peer';
import { Replicator } from '../../storage/replicate/replicator';
import { StoragePeer } from '../../storage/replicate/storage-peer';
import { StorageSyncState } from '../../storage/replicate/storage-sync-state';
import { updateDocument } from '../../storage/update-document';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { newExperiment } from './experiment-document';
import { checkSignal, editBinding, newSignal } from './signal-document';
import { openSignal } from './open-signal';
import { mergeSignalVersions } from './merge-signal-versions';

let server: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true, adminParty: true });
}, 30_000);
afterAll(async () => server?.stop());

/** A device syncing with the real CouchDB-protocol server. */
function device(db: CouchClient, name: string): { storage: Storage; sync: () => Promise<unknown> } {
  const storage: Storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  const replicator = new Replicator({ local: new StoragePeer(storage, { name }), remote: new CouchPeer(db), state: new StorageSyncState(new MemoryStorage()), pullChunks: () => true, merge: (local, remote, base) => (base ? mergeSignalVersions(base, local, remote) : undefined) });
  return { storage, sync: () => replicator.sync() };
}

describe('signals sync like any document', () => {
  it('a recalibration made on one device resolves on the other, with the earlier binding in its history', async () => {
    const db = new CouchClient({ url: `${server.url}signals-sync` });
    await db.create();
    const tablet = device(db, 'tablet');
    const laptop = device(db, 'laptop');
    const array = await createDataArray(tablet.storage, { title: 'probe', dtype: 'float32', sampling_rate: 10, start_time: '2024-06-01T10:00:00Z' });
    await appendSamples(tablet.storage, array, Float32Array.from([1, 2, 3, 4]));
    const shot = await tablet.storage.post(newExperiment({ name: 'Shot 1', start: '2024-06-01T10:00:00Z', end: '2024-06-01T10:01:00Z' }));
    const signalId = await tablet.storage.post(
      newSignal({ name: 'I', units: 'mA', bindings: [{ id: 'b1', valid: { experiments: [shot] }, array: { id: array }, channel: 0, calibration: { kind: 'linear', gain: 10, offset: 0 }, units: { raw: 'V', calibrated: 'mA' }, since: '2024-01-01T00:00:00Z' }] }),
    );
    await tablet.sync();
    await laptop.sync();
    expect(Array.from(await (await openSignal(laptop.storage, 'I', shot)).source.read(0, 4))).toEqual([10, 20, 30, 40]);

    // Recalibrated on the laptop; the tablet reads the new calibration and keeps the old binding in the history.
    await updateDocument(laptop.storage, signalId, (current) => {
      const signal = checkSignal(current, signalId);
      const { id: _id, since: _since, ...old } = signal.bindings[0]!;
      return editBinding(signal, { ...old, calibration: { kind: 'linear', gain: 100, offset: -1 } }, 'b1');
    });
    await laptop.sync();
    await tablet.sync();
    const opened = await openSignal(tablet.storage, 'I', shot);
    expect(opened.plan).toMatchObject({ kind: 'bound', binding: { id: 'b2' } });
    expect(Array.from(await opened.source.read(0, 4))).toEqual([99, 199, 299, 399]);
    expect(checkSignal(await tablet.storage.get(signalId), signalId).bindings.map((binding) => [binding.id, binding.replaced_by])).toEqual([['b1', 'b2'], ['b2', undefined]]);
  }, 30_000);

  it('the same binding recalibrated on two devices while apart: merged, and resolving names the two new bindings', async () => {
    const db = new CouchClient({ url: `${server.url}signals-merge` });
    await db.create();
    const tablet = device(db, 'tablet');
    const laptop = device(db, 'laptop');
    const array = await createDataArray(tablet.storage, { title: 'probe', dtype: 'float32' });
    await appendSamples(tablet.storage, array, Float32Array.from([1, 2]));
    const shot = await tablet.storage.post(newExperiment({ name: 'Shot 1' }));
    const signalId = await tablet.storage.post(
      newSignal({ name: 'I', units: 'mA', bindings: [{ id: 'b1', valid: { experiments: [shot] }, array: { id: array }, channel: 0, calibration: { kind: 'linear', gain: 10, offset: 0 }, units: { raw: 'V', calibrated: 'mA' }, since: '2024-01-01T00:00:00Z' }] }),
    );
    await tablet.sync();
    await laptop.sync();
    const recalibrate = (storage: Storage, gain: number) =>
      updateDocument(storage, signalId, (current) => {
        const signal = checkSignal(current, signalId);
        const { id: _id, since: _since, ...old } = signal.bindings[0]!;
        return editBinding(signal, { ...old, calibration: { kind: 'linear', gain, offset: 0 } }, 'b1');
      });
    await recalibrate(tablet.storage, 20);
    await recalibrate(laptop.storage, 30);
    await tablet.sync();
    await laptop.sync();
    await tablet.sync();
    for (const { storage } of [tablet, laptop]) {
      const signal = checkSignal(await storage.get(signalId), signalId);
      expect(signal.bindings.map((binding) => binding.id)).toEqual(['b1', 'b2', 'b3']);
      await expect(openSignal(storage, 'I', shot)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/two bindings for experiment “Shot 1”.*b2 .* and b3 /) });
    }
  }, 30_000);
});
