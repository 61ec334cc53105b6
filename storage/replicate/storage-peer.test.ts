import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexedDBStorage } from '../indexeddb/indexeddb-storage';
import { MemoryStorage } from '../memory/memory-storage';
import { WriteMeanwhile } from '../testing/write-meanwhile';
import type { Storage } from '../types';
import { StoragePeer } from './storage-peer';

let counter = 0;
const storages: [string, () => Storage][] = [
  ['memory', () => new MemoryStorage()],
  ['indexeddb', () => new IndexedDBStorage({ name: `storage-peer-${Date.now()}-${++counter}` })],
];

describe.each(storages)('StoragePeer writes over %s', (_name, make) => {
  async function setUp() {
    const storage = new WriteMeanwhile(make());
    await storage.put('note', { title: 'before the sync' });
    await storage.putAttachment('note', 'photo', 'jpeg bytes', { contentType: 'image/jpeg' });
    const peer = new StoragePeer(storage);
    const expected = (await peer.read(['note'], {})).get('note')!.version;
    return { storage, peer, expected };
  }

  it('a local save landing while the sync writes the server’s version is a conflict, not overwritten', async () => {
    const { storage, peer, expected } = await setUp();
    storage.arm('note', (sub) => sub.put('note', { title: 'typed on this device' }));
    const results = await peer.write([{ id: 'note', expected, body: { title: 'from the server' }, keepChunks: { 'photo#0': '' } }], {});
    expect(results).toEqual([{ ok: false, conflict: true }]);
    expect(await storage.get('note')).toEqual({ title: 'typed on this device' });
  });

  it('a local save landing while the sync deletes the document keeps it, as a conflict', async () => {
    const { storage, peer, expected } = await setUp();
    storage.arm('note', (sub) => sub.put('note', { title: 'typed on this device' }));
    const results = await peer.write([{ id: 'note', expected, body: null, keepChunks: {} }], {});
    expect(results).toEqual([{ ok: false, conflict: true }]);
    expect(await storage.get('note')).toEqual({ title: 'typed on this device' });
  });

  it('an attachment written meanwhile is part of the check: a conflict, and the attachment stays', async () => {
    const { storage, peer, expected } = await setUp();
    storage.arm('note', (sub) => sub.putAttachment('note', 'sketch', 'png bytes', { contentType: 'image/png' }));
    const results = await peer.write([{ id: 'note', expected, body: { title: 'from the server' }, keepChunks: { 'photo#0': '' } }], {});
    expect(results).toEqual([{ ok: false, conflict: true }]);
    expect(await storage.get('note')).toEqual({ title: 'before the sync' });
    expect(Object.keys(await storage.allAttachments('note')).sort()).toEqual(['photo', 'sketch']);
  });

  it('without a writer meanwhile it writes, drops attachments the other side no longer has, and says the version it made', async () => {
    const { storage, peer, expected } = await setUp();
    await storage.putAttachment('note', 'draft', 'old draft');
    const before = (await peer.read(['note'], {})).get('note')!.version;
    expect(before).not.toBe(expected);
    const [result] = await peer.write([{ id: 'note', expected: before, body: { title: 'from the server' }, keepChunks: { 'photo#0': '' } }], {});
    expect(await storage.get('note')).toEqual({ title: 'from the server' });
    expect(Object.keys(await storage.allAttachments('note'))).toEqual(['photo']);
    expect(result).toEqual({ ok: true, version: (await peer.read(['note'], {})).get('note')!.version });
    // A document that is new here: expected '' (must not exist).
    expect(await peer.write([{ id: 'new', expected: '', body: { title: 'new' }, keepChunks: {} }], {})).toMatchObject([{ ok: true }]);
    expect(await peer.write([{ id: 'new', expected: '', body: { title: 'again' }, keepChunks: {} }], {})).toEqual([{ ok: false, conflict: true }]);
  });
});
