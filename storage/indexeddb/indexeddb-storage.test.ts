import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { QueryStorage } from '../query/query-storage';
import { UuidStorage } from '../uuid/uuid-storage';
import { IndexedDBStorage } from './indexeddb-storage';
import { openDatabase } from './database';
import { chunkSize } from './chunk-values';

let counter = 0;
const freshName = () => `conformance-${Date.now()}-${++counter}`;

describeStorageConformance('indexeddb (fake-indexeddb in Node)', () => ({ storage: new IndexedDBStorage({ name: freshName(), chunkSize: 64 }), chunkSize: 64 }));
describeStorageConformance('query over uuid over indexeddb', () => ({
  storage: new QueryStorage(new UuidStorage(new IndexedDBStorage({ name: freshName(), chunkSize: 64 }))),
  chunkSize: 64,
}));

describe('indexeddb specifics', () => {
  it('keeps an attachment as chunks keyed [doc, name, index], rewriting only the tail on append', async () => {
    const name = freshName();
    const storage = new IndexedDBStorage({ name, chunkSize: 10 });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', new Uint8Array(25));
    const db = await openDatabase(name);
    expect(await db.getAllKeys('chunks')).toEqual([['a', 'data', 0], ['a', 'data', 1], ['a', 'data', 2]]);
    const before = await db.getAll('chunks');
    await storage.appendAttachment('a', 'data', new Uint8Array(12).fill(7));
    const after = await db.getAll('chunks');
    expect(after.map(chunkSize)).toEqual([10, 10, 10, 7]);
    // The full chunks are the very same stored values: only the partial last chunk and the new one were written.
    expect(after[0]).toEqual(before[0]);
    // Chunks are stored as bytes, not Blobs (see chunk-values.ts).
    expect(after.every((chunk) => chunk instanceof ArrayBuffer)).toBe(true);
    await storage.putAttachment('a', 'data', 'short');
    expect(await db.getAllKeys('chunks')).toEqual([['a', 'data', 0]]);
  });

  it('an attachment name that looks like another key part cannot collide', async () => {
    const storage = new IndexedDBStorage({ name: freshName(), chunkSize: 4 });
    await storage.put('a', {});
    await storage.put('a/data', {});
    await storage.putAttachment('a', 'data/0', 'first');
    await storage.putAttachment('a/data', '0', 'second');
    expect(await storage.getAttachment('a', 'data/0', { format: 'text' })).toBe('first');
    expect(await storage.getAttachment('a/data', '0', { format: 'text' })).toBe('second');
  });

  it('a cancelled attachment write leaves nothing of itself', async () => {
    const storage = new IndexedDBStorage({ name: freshName(), chunkSize: 8 });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', 'old bytes');
    const controller = new AbortController();
    const writing = storage.putAttachment('a', 'data', new Uint8Array(10_000), { signal: controller.signal });
    setTimeout(() => controller.abort(), 5); // mid-transaction: 1250 chunk writes take far longer
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    expect(await storage.getAttachment('a', 'data', { format: 'text' })).toBe('old bytes');
  });

  it('keeps its changes sequence across connections (a reload)', async () => {
    const name = freshName();
    const first = new IndexedDBStorage({ name });
    await first.put('a', {});
    await first.put('b', {});
    const again = new IndexedDBStorage({ name });
    await again.put('c', {});
    const changes = await firstValueFrom(again.changes().pipe(toArray()));
    expect(changes.map((change) => [change.id, change.seq])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('answers queries on indexed keys from the index, with the same results as a scan', async () => {
    const storage = new IndexedDBStorage({ name: freshName() });
    await storage.put('x', { portal_type: 'Data Array', title: 'one' });
    await storage.put('y', { portal_type: 'Image', title: 'two' });
    await storage.put('z', { portal_type: 'Data Array', title: 'three' });
    const indexed = await storage.allDocs({ query: 'portal_type:="Data Array" AND title:%e%', sort_on: [['title', 'ascending']] });
    expect(indexed.rows.map((row) => row.id)).toEqual(['x', 'z']);
    const scanned = await storage.allDocs({ query: 'portal_type:"data array" AND title:%e%', sort_on: [['title', 'ascending']] });
    expect(scanned.rows.map((row) => row.id)).toEqual(['x', 'z']);
  });

  it('repair removes chunks that no attachment owns', async () => {
    const name = freshName();
    const storage = new IndexedDBStorage({ name, chunkSize: 4 });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', 'abcdefgh');
    const db = await openDatabase(name);
    await db.put('chunks', new Blob(['zz']), ['ghost', 'data', 0]);
    await storage.repair();
    expect(await db.getAllKeys('chunks')).toEqual([['a', 'data', 0], ['a', 'data', 1]]);
  });
});
