import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { CouchClient } from '../remote/couch-client';
import { MemoryStorage } from '../memory/memory-storage';
import { QueryStorage } from '../query/query-storage';
import { UuidStorage } from '../uuid/uuid-storage';
import type { Storage } from '../types';
import { CouchPeer } from './couch-peer';
import { Replicator, type ConflictPolicy, type DocumentMerge } from './replicator';
import { StoragePeer } from './storage-peer';
import { StorageSyncState } from './storage-sync-state';
import { PIECE_SIZE } from '../remote/pieces';

let server: { url: string; stop(): Promise<void> };
let counter = 0;

beforeAll(async () => {
  server = await startPouchServer({ inMemory: true, adminParty: true });
}, 30_000);
afterAll(async () => server?.stop());

/** A device: its own storage and sync state, syncing with the remote database `db`. */
async function device(db: CouchClient, { policy = 'report' as ConflictPolicy, batchSize = 100, merge = undefined as DocumentMerge | undefined } = {}) {
  const storage: Storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  const replicator = new Replicator({
    local: new StoragePeer(storage, { name: `device-${++counter}` }),
    remote: new CouchPeer(db),
    state: new StorageSyncState(new MemoryStorage()),
    policy,
    batchSize,
    pullChunks: () => true,
    ...(merge ? { merge } : {}),
  });
  return { storage, replicator };
}

async function remoteDb(): Promise<CouchClient> {
  const client = new CouchClient({ url: `${server.url}sync-test-${++counter}` });
  await client.create();
  return client;
}

/** Byte-for-byte equality (toEqual on megabytes is very slow). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((value, index) => value === b[index]);
const bytes = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, index) => (index * seed + (index >> 10)) & 0xff);

describe('replication between a device storage and a CouchDB-protocol server (pouchdb-server)', () => {
  it('pushes documents and chunked attachments, and another device pulls them intact', async () => {
    const db = await remoteDb();
    const tablet = await device(db);
    const laptop = await device(db);
    await tablet.storage.put('stream-1', { portal_type: 'Data Stream', title: 'North pump' });
    const data = bytes(PIECE_SIZE * 2 + 1234, 7);
    await tablet.storage.putAttachment('stream-1', 'data', data);
    const pushed = await tablet.replicator.sync();
    expect(pushed).toMatchObject({ pushed: 1, conflicts: 0, chunks: 3 });
    // Plain CouchDB: the body as JSON, the bytes as standard attachments in pieces.
    const onServer = await db.get('stream-1');
    expect(onServer.title).toBe('North pump');
    expect(Object.keys(onServer._attachments ?? {}).sort()).toEqual(['data#0', 'data#1', 'data#2']);

    const pulled = await laptop.replicator.sync();
    expect(pulled).toMatchObject({ pulled: 1, chunks: 3 });
    expect(await laptop.storage.get('stream-1')).toEqual({ portal_type: 'Data Stream', title: 'North pump' });
    const copy = new Uint8Array(await laptop.storage.getAttachment('stream-1', 'data', { format: 'arraybuffer' }));
    expect(sameBytes(copy, data)).toBe(true);
  });

  it('after an append only the new tail travels, both ways', async () => {
    const db = await remoteDb();
    const tablet = await device(db);
    const laptop = await device(db);
    await tablet.storage.put('recording', { portal_type: 'Data Stream', title: 'long' });
    const first = bytes(PIECE_SIZE * 2 + 500, 3);
    await tablet.storage.putAttachment('recording', 'data', first);
    expect(await tablet.replicator.sync()).toMatchObject({ pushed: 1, chunks: 3 });
    expect(await laptop.replicator.sync()).toMatchObject({ pulled: 1, chunks: 3 });
    const more = bytes(PIECE_SIZE, 5);
    await tablet.storage.appendAttachment('recording', 'data', more);
    // The last piece grew and one piece is new: two pieces, not the whole attachment again.
    const pushed = await tablet.replicator.sync();
    expect(pushed).toMatchObject({ pushed: 1, chunks: 2 });
    expect(pushed.bytes).toBe(first.length + more.length - 2 * PIECE_SIZE);
    const pulled = await laptop.replicator.sync();
    expect(pulled).toMatchObject({ pulled: 1, chunks: 2 });
    const copy = new Uint8Array(await laptop.storage.getAttachment('recording', 'data', { format: 'arraybuffer' }));
    expect(sameBytes(copy, new Uint8Array([...first, ...more]))).toBe(true);
    // A rewrite is not an append: every piece goes again.
    await tablet.storage.putAttachment('recording', 'data', bytes(PIECE_SIZE + 10, 9));
    expect(await tablet.replicator.sync()).toMatchObject({ chunks: 2 });
    await laptop.replicator.sync();
    expect(sameBytes(new Uint8Array(await laptop.storage.getAttachment('recording', 'data', { format: 'arraybuffer' })), bytes(PIECE_SIZE + 10, 9))).toBe(true);
  });

  it('is incremental: after k changes a sync moves k documents, and deletions travel both ways', async () => {
    const db = await remoteDb();
    const tablet = await device(db);
    const laptop = await device(db);
    for (let index = 0; index < 30; index += 1) await tablet.storage.put(`doc-${index}`, { n: index });
    await tablet.replicator.sync();
    await laptop.replicator.sync();
    await tablet.storage.put('doc-3', { n: 300 });
    await tablet.storage.remove('doc-4');
    const second = await tablet.replicator.sync();
    expect(second).toMatchObject({ pushed: 2, pulled: 0, deleted: 1 });
    const third = await laptop.replicator.sync();
    expect(third).toMatchObject({ pulled: 2, pushed: 0, deleted: 1 });
    expect(await laptop.storage.get('doc-3')).toEqual({ n: 300 });
    await expect(laptop.storage.get('doc-4')).rejects.toMatchObject({ status: 404 });
    // And back: a deletion on the laptop reaches the tablet.
    await laptop.storage.remove('doc-5');
    await laptop.replicator.sync();
    expect(await tablet.replicator.sync()).toMatchObject({ pulled: 1, deleted: 1 });
    await expect(tablet.storage.get('doc-5')).rejects.toMatchObject({ status: 404 });
    expect(await tablet.replicator.sync()).toMatchObject({ pulled: 0, pushed: 0 });
  });

  it('a type that merges settles its conflict: both sides get the merged body, nothing is listed; others are left to the policy', async () => {
    // Lists of words merge as their union; anything else is left to the policy.
    const merge: DocumentMerge = async (local, remote) =>
      Array.isArray(local['words']) && Array.isArray(remote['words']) ? { ...local, words: [...new Set([...local['words'], ...remote['words']])].sort() } : undefined;
    const db = await remoteDb();
    const tablet = await device(db, { merge });
    const laptop = await device(db, { merge });
    await tablet.storage.put('list', { words: ['a'] });
    await tablet.storage.put('note', { text: 'first' });
    await tablet.replicator.sync();
    await laptop.replicator.sync();
    await tablet.storage.put('list', { words: ['a', 'tablet'] });
    await tablet.storage.put('note', { text: 'tablet edit' });
    await laptop.storage.put('list', { words: ['a', 'laptop'] });
    await laptop.storage.put('note', { text: 'laptop edit' });
    await laptop.replicator.sync();
    const report = await tablet.replicator.sync();
    expect(report).toMatchObject({ conflicts: 2, merged: 1 });
    expect(await tablet.storage.get('list')).toEqual({ words: ['a', 'laptop', 'tablet'] });
    expect((await db.get('list'))['words']).toEqual(['a', 'laptop', 'tablet']);
    expect((await tablet.replicator.conflicts()).map(({ id }) => id)).toEqual(['note']);
    await laptop.replicator.sync();
    expect(await laptop.storage.get('list')).toEqual({ words: ['a', 'laptop', 'tablet'] });
    expect(await tablet.replicator.sync()).toMatchObject({ conflicts: 0 });
  });

  it('never drops a conflicting edit: report keeps both versions listed until someone chooses', async () => {
    const db = await remoteDb();
    const tablet = await device(db);
    const laptop = await device(db);
    await tablet.storage.put('note', { text: 'first' });
    await tablet.replicator.sync();
    await laptop.replicator.sync();
    await tablet.storage.put('note', { text: 'tablet edit' });
    await laptop.storage.put('note', { text: 'laptop edit' });
    await laptop.replicator.sync();
    const report = await tablet.replicator.sync();
    expect(report.conflicts).toBe(1);
    expect(await tablet.storage.get('note')).toEqual({ text: 'tablet edit' }); // the local version stays visible
    const [conflict] = await tablet.replicator.conflicts();
    expect(conflict).toMatchObject({ id: 'note', local: { body: { text: 'tablet edit' } }, remote: { body: { text: 'laptop edit' } } });
    await tablet.replicator.resolve('note', 'remote');
    expect(await tablet.storage.get('note')).toEqual({ text: 'laptop edit' });
    expect(await tablet.replicator.conflicts()).toEqual([]);
    await laptop.replicator.sync();
    expect(await laptop.storage.get('note')).toEqual({ text: 'laptop edit' });
  });

  it('keep-both keeps the other version as a new document on both sides', async () => {
    const db = await remoteDb();
    const tablet = await device(db, { policy: 'keep-both' });
    const laptop = await device(db);
    await tablet.storage.put('note', { text: 'first' });
    await tablet.replicator.sync();
    await laptop.replicator.sync();
    await tablet.storage.put('note', { text: 'mine' });
    await laptop.storage.put('note', { text: 'theirs' });
    await laptop.replicator.sync();
    await tablet.replicator.sync();
    await tablet.replicator.sync();
    const { rows } = await tablet.storage.allDocs({ include_docs: true });
    expect(rows.map((row) => row.doc?.['text']).sort()).toEqual(['mine', 'theirs']);
    expect((await db.get('note')).text).toBe('mine');
  });

  it('resumes after being stopped mid-sync, resending at most one batch and making no duplicates', async () => {
    const db = await remoteDb();
    const tablet = await device(db, { batchSize: 10 });
    for (let index = 0; index < 35; index += 1) await tablet.storage.put(`doc-${index}`, { n: index });
    const controller = new AbortController();
    const stopped = await tablet.replicator
      .sync({ signal: controller.signal, onProgress: (progress) => progress.batches >= 2 && controller.abort() })
      .catch((error: unknown) => error);
    expect((stopped as Error).name).toBe('AbortError');
    const resumed = await tablet.replicator.sync();
    expect(resumed.pushed).toBeLessThanOrEqual(35 - 20 + 10);
    expect(resumed.conflicts).toBe(0);
    const info = await db.info();
    expect(info.doc_count).toBe(35);
  });

  it('pieces written while someone else edits the document do not hide their edit', async () => {
    const db = await remoteDb();
    const peer = new CouchPeer(db);
    const { rev } = await db.put({ _id: 'array', title: 'first' });
    const data = bytes(PIECE_SIZE, 11);
    // The other writer lands between our check and our write (while our piece is being read).
    const written = peer.writeChunks('array', rev, [{ name: 'data#0', contentType: 'application/octet-stream', read: async () => {
      await db.put({ _id: 'array', _rev: rev, title: 'their edit' });
      return new Blob([data]);
    } }], {}, {});
    await expect(written).rejects.toMatchObject({ status: 409 });
    const now = await db.get('array', { conflicts: true });
    expect(now.title).toBe('their edit');
    expect(now._conflicts ?? []).toEqual([]);
    // Without a concurrent edit the pieces land on top of the given revision, names awkward for multipart included.
    const pieces = await peer.writeChunks('array', now._rev!, [
      { name: 'data#0', contentType: 'application/octet-stream', read: async () => new Blob([data]) },
      { name: 'odd "name" 50% & co#0', contentType: 'application/octet-stream', read: async () => new Blob([data.subarray(0, 10)]) },
    ], {}, {});
    const after = await db.get('array');
    expect(after._rev).toBe(pieces);
    expect(after.title).toBe('their edit');
    expect(sameBytes(new Uint8Array(await (await db.getAttachment('array', 'data#0')).arrayBuffer()), data)).toBe(true);
    expect(after._attachments?.['odd "name" 50% & co#0']?.length).toBe(10);
  });
});

describe('conflicts a merge function knows how to merge', () => {
  /** Field by field from the base: a field changed on one side is that side's; changed on both, no merge. */
  const byField: DocumentMerge = (local, remote, base = {}) => {
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(local), ...Object.keys(remote)])) {
      const [was, mine, theirs] = [base[key], local[key], remote[key]];
      if (mine !== theirs && mine !== was && theirs !== was) return undefined;
      merged[key] = mine !== was ? mine : theirs;
    }
    return merged;
  };

  it('merges two devices\' edits of different parts from the version they last agreed on: both hold the merge, nothing listed', async () => {
    const db = await remoteDb();
    const tablet = await device(db, { merge: byField });
    const laptop = await device(db, { merge: byField });
    await tablet.storage.put('note', { portal_type: 'Notebook', title: 'Pump', site: 'north', notes: '' });
    await tablet.replicator.sync();
    await laptop.replicator.sync();
    await tablet.storage.put('note', { portal_type: 'Notebook', title: 'Pump 2', site: 'north', notes: '' });
    await laptop.storage.put('note', { portal_type: 'Notebook', title: 'Pump', site: 'north', notes: 'oil low' });
    await tablet.replicator.sync();
    const report = await laptop.replicator.sync();
    expect(report).toMatchObject({ conflicts: 1, merged: 1 });
    await tablet.replicator.sync();
    const expected = { portal_type: 'Notebook', title: 'Pump 2', site: 'north', notes: 'oil low' };
    expect(await laptop.storage.get('note')).toEqual(expected);
    expect(await tablet.storage.get('note')).toEqual(expected);
    expect(await laptop.replicator.conflicts()).toEqual([]);
    expect(await tablet.replicator.conflicts()).toEqual([]);
    // Settled: the next rounds move nothing.
    expect(await laptop.replicator.sync()).toMatchObject({ pulled: 0, pushed: 0, conflicts: 0 });
  });

  it('lists the conflict as before when the same part changed on both sides', async () => {
    const db = await remoteDb();
    const tablet = await device(db, { merge: byField });
    const laptop = await device(db, { merge: byField });
    await tablet.storage.put('note', { title: 'Pump' });
    await tablet.replicator.sync();
    await laptop.replicator.sync();
    await tablet.storage.put('note', { title: 'Pump A' });
    await laptop.storage.put('note', { title: 'Pump B' });
    await tablet.replicator.sync();
    expect(await laptop.replicator.sync()).toMatchObject({ conflicts: 1, merged: 0 });
    expect((await laptop.replicator.conflicts()).map((conflict) => conflict.id)).toEqual(['note']);
    expect(await laptop.storage.get('note')).toEqual({ title: 'Pump B' });
  });
});
