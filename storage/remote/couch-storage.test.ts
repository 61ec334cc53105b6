import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer, type LockedPouchServer } from '../../scripts/pouchdb-server.mjs';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { MemoryStorage } from '../memory/memory-storage';
import { CouchPeer } from '../replicate/couch-peer';
import { PIECE_SIZE } from './pieces';
import { Replicator } from '../replicate/replicator';
import { StoragePeer } from '../replicate/storage-peer';
import { StorageSyncState } from '../replicate/storage-sync-state';
import { CouchClient } from './couch-client';
import { CouchStorage } from './couch-storage';

let server: LockedPouchServer;
let counter = 0;
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true });
}, 30_000);
afterAll(async () => server?.stop());

async function database(): Promise<CouchClient> {
  const client = new CouchClient({ url: `${server.url}couch-storage-${++counter}`, auth: server.admin });
  await client.create();
  return client;
}

describeStorageConformance('CouchDB (pouchdb-server, signed in)', async () => ({ storage: new CouchStorage(await database(), { longpollMs: 200 }), chunkSize: PIECE_SIZE }));

const pattern = (size: number) => Uint8Array.from({ length: size }, (_, index) => (index * 13 + (index >> 9)) & 0xff);

describe('a CouchDB database as a Storage, in the replicator format', () => {
  it('keeps attachments as pieces the app pulls by sync, appended piece by piece', async () => {
    const client = await database();
    const storage = new CouchStorage(client);
    const bytes = pattern(PIECE_SIZE * 2 + 100);
    await storage.put('array', { portal_type: 'Data Array', title: 'on the server' });
    await storage.appendAttachment('array', 'data', bytes.subarray(0, PIECE_SIZE - 10), { contentType: 'application/octet-stream' });
    await storage.appendAttachment('array', 'data', bytes.subarray(PIECE_SIZE - 10));
    const stored = await client.get('array');
    expect(Object.entries(stored._attachments ?? {}).map(([name, stub]) => [name, stub.length])).toEqual([
      ['data#0', PIECE_SIZE],
      ['data#1', PIECE_SIZE],
      ['data#2', 100],
    ]);

    const device = new MemoryStorage();
    const replicator = new Replicator({ local: new StoragePeer(device), remote: new CouchPeer(client), state: new StorageSyncState(new MemoryStorage()), pullChunks: () => true });
    expect(await replicator.sync()).toMatchObject({ pulled: 1, conflicts: 0 });
    expect(await device.get('array')).toEqual({ portal_type: 'Data Array', title: 'on the server' });
    const pulled = new Uint8Array(await device.getAttachment('array', 'data', { format: 'arraybuffer' }));
    expect(pulled.length).toBe(bytes.length);
    expect(pulled.every((value, index) => value === bytes[index])).toBe(true);
  });

  it('an update that races another writer is applied again on the fresh revision, losing neither change', async () => {
    const client = await database();
    const other = new CouchStorage(client);
    await other.put('d', { a: 0, b: 0 });
    // Another writer gets in between our read and our write, once: the server answers our write 409.
    let interfere = true;
    const racing = new CouchClient({
      url: client.url,
      auth: server.admin,
      fetch: async (input, init) => {
        if (interfere && init?.method === 'PUT') {
          interfere = false;
          await other.update('d', (now) => ({ ...now, b: 2 }));
        }
        return fetch(input, init);
      },
    });
    const seen: unknown[] = [];
    const result = await new CouchStorage(racing).update('d', (current) => (seen.push(current), { ...current, a: 1 }));
    expect(seen).toEqual([{ a: 0, b: 0 }, { a: 0, b: 2 }]);
    expect(result).toEqual({ a: 1, b: 2 });
    expect(await other.get('d')).toEqual({ a: 1, b: 2 });
  });
});
