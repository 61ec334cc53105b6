import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer, type LockedPouchServer } from '../../scripts/pouchdb-server.mjs';
import { MemoryStorage } from '../memory/memory-storage';
import { QueryStorage } from '../query/query-storage';
import { UuidStorage } from '../uuid/uuid-storage';
import { CouchClient, type CouchDoc } from '../remote/couch-client';
import { CouchPeer, toBase64 } from './couch-peer';
import { FilteredPeer, syncSubset } from './filtered-peer';
import { Replicator } from './replicator';
import { StoragePeer } from './storage-peer';
import { StorageSyncState } from './storage-sync-state';

let server: LockedPouchServer;
let counter = 0;
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true });
}, 30_000);
afterAll(async () => server?.stop());

const doc = (id: string, fields: Record<string, unknown>): CouchDoc => ({ _id: id, title: id, reference: id, modification_date: '2026-01-01', ...fields });

describe('partial sync: a device pulls only the documents of its subset', () => {
  it('by a query (module and experiment): only matching documents come, with their changes and removals; everything the device makes is pushed; a new subset pulls its documents from the start', async () => {
    const client = new CouchClient({ url: `${server.url}partial-${++counter}`, auth: server.admin });
    await client.create();
    const streams = Array.from({ length: 20 }, (_, index) => doc(`stream-${index}`, { portal_type: 'Data Stream', experiment: index % 2 === 0 ? 'E-1' : 'E-2' }));
    const notes = Array.from({ length: 30 }, (_, index) => doc(`note-${index}`, { portal_type: 'Notebook' }));
    const arrays = Array.from({ length: 5 }, (_, index) => doc(`array-${index}`, { portal_type: 'Data Array', experiment: 'E-1', _attachments: { 'data#0': { content_type: 'application/octet-stream', data: toBase64(new Uint8Array(1000).fill(index)) } } }));
    // Mixed in the feed, so batches (of 7 here) hold both.
    const all = notes.flatMap((note, index) => [note, ...(streams[index] ? [streams[index]!] : []), ...(arrays[index] ? [arrays[index]!] : [])]);
    expect((await client.bulkDocs(all)).every((answer) => answer.ok)).toBe(true);

    const device = new QueryStorage(new UuidStorage(new MemoryStorage()));
    const state = new StorageSyncState(new MemoryStorage());
    const sync = (query: string) => new Replicator({ local: new StoragePeer(device), remote: new FilteredPeer(new CouchPeer(client), syncSubset(query)), state, batchSize: 7, pullChunks: () => true }).sync();
    const ids = async () => (await device.allDocs()).rows.map((row) => row.id).sort();
    const e1Streams = streams.filter((_, index) => index % 2 === 0).map((stream) => stream._id).sort();

    const first = await sync('portal_type:="Data Stream" AND experiment:="E-1"');
    expect(first.conflicts).toBe(0);
    expect(await ids()).toEqual(e1Streams);

    // The device's own work goes to the server whatever the subset.
    await device.put('field-note', { portal_type: 'Notebook', title: 'written on the tablet', reference: 'f', modification_date: '2026-01-02' });
    // On the server: a matching stream removed, one added, a non-matching one changed.
    const gone = await client.get('stream-0');
    await client.remove('stream-0', gone._rev!);
    await client.put(doc('stream-new', { portal_type: 'Data Stream', experiment: 'E-1' }));
    const other = await client.get('stream-1');
    await client.put({ ...other, title: 'changed on the server' });
    const second = await sync('portal_type:="Data Stream" AND experiment:="E-1"');
    expect(second.conflicts).toBe(0);
    expect(await ids()).toEqual([...e1Streams.filter((id) => id !== 'stream-0'), 'field-note', 'stream-new'].sort());
    expect((await client.get('field-note'))['title']).toBe('written on the tablet');

    // A wider subset: its documents come from the start, attachments included; nothing is listed as a conflict.
    const third = await sync('experiment:="E-1"');
    expect(third.conflicts).toBe(0);
    expect(await ids()).toEqual([...e1Streams.filter((id) => id !== 'stream-0'), 'field-note', 'stream-new', ...arrays.map((array) => array._id)].sort());
    expect(new Uint8Array(await device.getAttachment('array-3', 'data', { format: 'arraybuffer' }))[0]).toBe(3);
  }, 60_000);

  it('refuses a malformed subset with where it is wrong', () => {
    expect(() => syncSubset('portal_type:(Data')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
