import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { mergeSyncedDocuments } from '../../gadgets/app/sync-merges';
import { MemoryStorage, QueryStorage, type Storage } from '../../storage';
import { CouchClient } from '../../storage/remote/couch-client';
import { CouchPeer } from '../../storage/replicate/couch-peer';
import { Replicator } from '../../storage/replicate/replicator';
import { StoragePeer } from '../../storage/replicate/storage-peer';
import { StorageSyncState } from '../../storage/replicate/storage-sync-state';
import { UuidStorage } from '../../storage/uuid/uuid-storage';
import { editSnippet, getSnippet, headsOf, newSnippet, restoreVersion, updateSnippet } from '.';

let server: { url: string; stop(): Promise<void> };
let counter = 0;
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true, adminParty: true });
}, 30_000);
afterAll(async () => server?.stop());

/** A tablet: its own storage, syncing with `db` as the app does (the app's merges, conflicts otherwise reported). */
function tablet(db: CouchClient, merge = true) {
  const storage: Storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  const replicator = new Replicator({ local: new StoragePeer(storage, { name: `tablet-${++counter}` }), remote: new CouchPeer(db), state: new StorageSyncState(new MemoryStorage()), ...(merge ? { merge: mergeSyncedDocuments } : {}) });
  return { storage, replicator };
}

const content = (code: string) => ({ title: 'Gain', blurb: '', language: 'javascript' as const, files: [{ name: 'gain.js', content: code }], tags: ['signal/gain'] });

describe('a snippet edited on two tablets offline', () => {
  it('keeps both versions after sync: every version on both tablets and the server, one shown, the other named', async () => {
    const db = new CouchClient({ url: `${server.url}snippets-${++counter}` });
    await db.create();
    const a = tablet(db);
    const b = tablet(db);
    await a.storage.put('gain', newSnippet(content('x * 2'), { author: 'ana', date: '2026-01-01T00:00:00Z' }));
    await a.replicator.sync();
    await b.replicator.sync();
    // Offline, each edits the same version.
    await updateSnippet(a.storage, 'gain', (s) => editSnippet(s, content('x * 3'), { author: 'ana', date: '2026-01-02T00:00:00Z' }));
    await updateSnippet(b.storage, 'gain', (s) => editSnippet(s, content('x * 4'), { author: 'ben', date: '2026-01-02T00:01:00Z' }));
    await a.replicator.sync();
    const report = await b.replicator.sync();
    expect(report).toMatchObject({ conflicts: 1, merged: 1 });
    expect(await b.replicator.conflicts()).toEqual([]);
    await a.replicator.sync();
    const onA = await getSnippet(a.storage, 'gain');
    const onB = await getSnippet(b.storage, 'gain');
    expect(onA).toEqual(onB);
    expect(onA.versions.map((version) => version.files[0]?.content)).toEqual(['x * 2', 'x * 3', 'x * 4']);
    expect(headsOf(onA.versions)).toHaveLength(2);
    // The tablet that merged shows its own edit; the other edit is named, and can be brought back.
    expect(onA.files[0]?.content).toBe('x * 4');
    const other = onA.other_heads?.[0];
    expect(onA.versions.find((version) => version.version === other)?.files[0]?.content).toBe('x * 3');
    await updateSnippet(a.storage, 'gain', (s) => restoreVersion(s, other!, { author: 'ana', date: '2026-01-03T00:00:00Z' }));
    await a.replicator.sync();
    await b.replicator.sync();
    expect((await getSnippet(b.storage, 'gain')).files[0]?.content).toBe('x * 3');
    expect((await getSnippet(b.storage, 'gain')).other_heads).toBeUndefined();
  });

  it('without the merge the same edits are a conflict to choose from (what the merge saves the user)', async () => {
    const db = new CouchClient({ url: `${server.url}snippets-${++counter}` });
    await db.create();
    const a = tablet(db, false);
    const b = tablet(db, false);
    await a.storage.put('gain', newSnippet(content('x * 2'), { author: 'ana', date: '2026-01-01T00:00:00Z' }));
    await a.replicator.sync();
    await b.replicator.sync();
    await updateSnippet(a.storage, 'gain', (s) => editSnippet(s, content('x * 3'), { author: 'ana', date: '2026-01-02T00:00:00Z' }));
    await updateSnippet(b.storage, 'gain', (s) => editSnippet(s, content('x * 4'), { author: 'ben', date: '2026-01-02T00:01:00Z' }));
    await a.replicator.sync();
    expect(await b.replicator.sync()).toMatchObject({ conflicts: 1, merged: 0 });
    expect((await b.replicator.conflicts()).map(({ id }) => id)).toEqual(['gain']);
  });
});
