import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { createLocalStorage } from '../local-storage';
import { appendSamples, createDataArray, getDataArray, readRange } from '../arrays';
import { PIECE_SIZE } from '../remote/pieces';
import { startTestProxy, type TestProxy } from '../testing/test-proxy';
import { RemoteFallbackStorage } from './remote-fallback-storage';
import { SyncManager } from './sync-manager';

let couch: { url: string; stop(): Promise<void> };
let proxy: TestProxy;
let counter = 0;

beforeAll(async () => {
  couch = await startPouchServer({ inMemory: true, adminParty: true });
  proxy = await startTestProxy(couch.url);
}, 30_000);
afterAll(async () => {
  await proxy?.stop();
  await couch?.stop();
});

/** A tablet: its IndexedDB storage, its sync manager (arrays over 1 MiB stay on the server unless pinned), its view. */
function tablet() {
  const name = `remote-arrays-${++counter}`;
  const local = createLocalStorage(name);
  const manager = new SyncManager(local, { stateName: `${name}-sync`, keepOfflineBytes: PIECE_SIZE, cacheBytes: 8 * PIECE_SIZE });
  return { local, manager, view: new RemoteFallbackStorage(local, manager.remoteReader) };
}

const samples = (count: number) => Float32Array.from({ length: count }, (_, index) => Math.sin(index / 100) + index / count);
const pieceReads = () => proxy.requests.filter((line) => line.startsWith('GET ') && /\/data%23\d+/.test(line)).length;

describe('large arrays between tablets', () => {
  it('metadata syncs, data stays on the server and is read by range, and "Keep offline" brings it here', async () => {
    const database = `${proxy.url}arrays-${counter}`;
    await fetch(database, { method: 'PUT' });
    const a = tablet();
    const b = tablet();
    await a.manager.addRemote({ url: database, title: 'server' });
    await b.manager.addRemote({ url: database, title: 'server' });

    const written = samples(1_500_000); // 6 MB of float32: six pieces
    const id = await createDataArray(a.local, { title: 'Long vibration record', dtype: 'float32', sampling_rate: 10_000 });
    await appendSamples(a.local, id, written);
    await a.manager.syncOnce();
    await b.manager.syncOnce();

    // B knows the array but keeps none of its data.
    const doc = await getDataArray(b.local, id);
    expect(doc.title).toBe('Long vibration record');
    expect(await b.local.allAttachments(id)).not.toHaveProperty('data');
    expect(await b.manager.isPinned(id)).toBe(false);

    // Viewing a stretch reads only the pieces under it, once (then from the cache).
    const before = pieceReads();
    const middle = await readRange(b.view, doc, id, 600_000, 610_000);
    expect(Array.from(middle.data)).toEqual(Array.from(written.subarray(600_000, 610_000)));
    expect(pieceReads() - before).toBe(1);
    await readRange(b.view, doc, id, 600_000, 610_000);
    expect(pieceReads() - before).toBe(1);

    // An edit of the metadata on B goes to the server without dropping the data B does not have.
    await b.local.put(id, { ...(await b.local.get(id)), title: 'Renamed on B' });
    await b.manager.syncOnce();
    const onServer = (await (await fetch(`${database}/${id}`)).json()) as { title: string; _attachments: Record<string, { length?: number }> };
    expect(onServer.title).toBe('Renamed on B');
    const dataPieces = Object.entries(onServer._attachments).filter(([name]) => name.startsWith('data#'));
    expect(dataPieces).toHaveLength(6);
    // Kept as they were, sizes included (other clients and range reads need them).
    expect(dataPieces.reduce((sum, [, piece]) => sum + (piece.length ?? NaN), 0)).toBe(written.byteLength);

    // Keep offline: the data comes here, whole and equal, and is read without the server.
    await b.manager.pin(id, true);
    expect(await b.manager.isPinned(id)).toBe(true);
    expect((await b.local.allAttachments(id))['data']?.length).toBe(written.byteLength);
    proxy.mode = 'down';
    try {
      const all = (await readRange(b.view, doc, id, 0, written.length)).data as Float32Array;
      expect(all.length === written.length && all.every((value, index) => value === written[index])).toBe(true);
    } finally {
      proxy.mode = 'ok';
    }

    // Later appends on A (after it has B's rename) reach B's kept copy.
    await a.manager.syncOnce();
    await appendSamples(a.local, id, samples(10_000));
    await a.manager.syncOnce();
    await b.manager.syncOnce();
    expect((await b.local.allAttachments(id))['data']?.length).toBe(written.byteLength + 40_000);
  }, 60_000);

  it('"Free space" takes the data off this device only once the server has all of it, and "Keep offline" brings it back', async () => {
    const database = `${proxy.url}arrays-free-${counter}`;
    await fetch(database, { method: 'PUT' });
    const a = tablet();
    await a.manager.addRemote({ url: database, title: 'server' });
    const written = samples(1_500_000);
    const id = await createDataArray(a.local, { title: 'Recorded here', dtype: 'float32', sampling_rate: 10_000 });
    await appendSamples(a.local, id, written);

    // Not synced yet: nothing is removed.
    expect(await a.manager.releasable(id)).toBe(false);
    await expect(a.manager.release(id)).rejects.toThrow('sync first');
    expect((await a.local.allAttachments(id))['data']?.length).toBe(written.byteLength);

    await a.manager.syncOnce();
    expect(await a.manager.releasable(id)).toBe(true);
    expect(await a.manager.release(id)).toBeGreaterThanOrEqual(written.byteLength);
    expect(await a.manager.releasable(id)).toBe(false); // nothing left here to free
    expect(await a.local.allAttachments(id)).toEqual({});
    const onServer = (await (await fetch(`${database}/${id}`)).json()) as { _attachments: Record<string, { length?: number }> };
    const dataPieces = Object.entries(onServer._attachments).filter(([name]) => name.startsWith('data#'));
    expect(dataPieces.reduce((sum, [, piece]) => sum + (piece.length ?? NaN), 0)).toBe(written.byteLength);

    // Viewed from the server; the next syncs neither push the removal nor fetch the data back.
    const doc = await getDataArray(a.view, id);
    expect(Array.from((await readRange(a.view, doc, id, 1_000_000, 1_000_010)).data)).toEqual(Array.from(written.subarray(1_000_000, 1_000_010)));
    const before = pieceReads();
    const current = (await (await fetch(`${database}/${id}`)).json()) as Record<string, unknown>;
    await fetch(`${database}/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...current, site: 'north' }) });
    await a.manager.syncOnce();
    expect(await a.local.get(id)).toMatchObject({ site: 'north' });
    await a.local.put(id, { ...(await a.local.get(id)), title: 'Recorded here, checked' });
    await a.manager.syncOnce();
    await a.manager.syncOnce();
    expect(pieceReads()).toBe(before);
    expect(await a.local.allAttachments(id)).toEqual({});
    const renamed = (await (await fetch(`${database}/${id}`)).json()) as { title: string; _attachments: Record<string, unknown> };
    expect(renamed.title).toBe('Recorded here, checked');
    expect(Object.keys(renamed._attachments).filter((name) => name.startsWith('data#'))).toHaveLength(6);

    // Kept offline again: whole and equal.
    await a.manager.pin(id, true);
    const back = new Float32Array(await a.local.getAttachment(id, 'data', { format: 'arraybuffer' }));
    expect(back.length === written.length && back.every((value, index) => value === written[index])).toBe(true);
  }, 60_000);

  it('says what to do when the data is on the server and the server cannot be reached', async () => {
    const database = `${proxy.url}arrays-offline-${counter}`;
    await fetch(database, { method: 'PUT' });
    const a = tablet();
    const b = tablet();
    await a.manager.addRemote({ url: database, title: 'server' });
    await b.manager.addRemote({ url: database, title: 'server' });
    const id = await createDataArray(a.local, { title: 'Not kept', dtype: 'float32' });
    await appendSamples(a.local, id, samples(400_000));
    await a.manager.syncOnce();
    await b.manager.syncOnce();
    const doc = await getDataArray(b.local, id);
    proxy.mode = 'down';
    try {
      await expect(readRange(b.view, doc, id, 0, 1000)).rejects.toThrow(/kept on the sync server.*Keep offline/);
    } finally {
      proxy.mode = 'ok';
    }
    // A document this device does not have is not fetched by this path.
    await expect(b.view.getAttachment('not-synced', 'data')).rejects.toMatchObject({ status: 404 });
  }, 60_000);
});
