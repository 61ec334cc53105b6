import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexedDBStorage } from '../indexeddb/indexeddb-storage';
import { MemoryStorage } from '../memory/memory-storage';
import { StorageWrapper } from '../storage-wrapper';
import type { CallOptions, Doc, DocChange, Storage } from '../types';
import { StoragePeer } from './storage-peer';

/**
 * A real storage on which, once armed, another writer (an autosave, the chain) writes a document just as the next
 * write to it arrives: after anything the writer checked before calling, before its write is applied.
 */
class WriteMeanwhile extends StorageWrapper {
  private pending: { id: string; write: (storage: Storage) => Promise<unknown> } | undefined;

  arm(id: string, write: (storage: Storage) => Promise<unknown>): void {
    this.pending = { id, write };
  }

  override async put(id: string, doc: Doc, options?: CallOptions): Promise<string> {
    await this.interleave(id);
    return super.put(id, doc, options);
  }

  override async update(id: string, change: DocChange, options?: CallOptions): Promise<Doc | undefined> {
    await this.interleave(id);
    return super.update(id, change, options);
  }

  override async remove(id: string, options?: CallOptions): Promise<void> {
    await this.interleave(id);
    return super.remove(id, options);
  }

  private async interleave(id: string): Promise<void> {
    const pending = this.pending;
    if (pending?.id !== id) return;
    this.pending = undefined;
    await pending.write(this.sub);
  }
}

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
