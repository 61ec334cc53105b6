import { describe, expect, it } from 'vitest';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { createLocalStorage } from '../local-storage';
import { openDatabase } from './database';
import { IndexedDBStorage } from './indexeddb-storage';

// The same suite as in Node, against Chromium's real IndexedDB (real Blobs, real transactions); the app stack keeps
// bytes in OPFS where Chromium has sync access handles (storage/opfs has the OPFS-specific tests).
let counter = 0;
const freshName = () => `browser-conformance-${Date.now()}-${++counter}`;

describeStorageConformance('indexeddb in Chromium', () => ({ storage: new IndexedDBStorage({ name: freshName(), chunkSize: 1024, bytes: 'indexeddb' }), chunkSize: 1024 }));
describeStorageConformance('the app stack (createLocalStorage) in Chromium', () => ({ storage: createLocalStorage(freshName()) }));

describe('attachments written before chunks were bytes', () => {
  it('stay readable by range and appendable: Blob chunks and byte chunks mix', async () => {
    const name = freshName();
    const storage = new IndexedDBStorage({ name, chunkSize: 4, bytes: 'indexeddb' });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', new Uint8Array([0, 1, 2, 3, 4, 5]));
    // As the earlier code stored them: Blob chunks, the last one partly filled.
    const db = await openDatabase(name);
    await db.put('chunks', new Blob([new Uint8Array([0, 1, 2, 3])]), ['a', 'data', 0]);
    await db.put('chunks', new Blob([new Uint8Array([4, 5])]), ['a', 'data', 1]);
    expect(new Uint8Array(await storage.getAttachment('a', 'data', { start: 3, end: 6, format: 'arraybuffer' }))).toEqual(new Uint8Array([3, 4, 5]));
    expect(await storage.appendAttachment('a', 'data', new Uint8Array([6, 7, 8]))).toBe(9);
    expect(new Uint8Array(await storage.getAttachment('a', 'data', { format: 'arraybuffer' }))).toEqual(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect((await storage.getAttachment('a', 'data', { start: 2, end: 7 })).size).toBe(5);
    // The new chunk is bytes; the rewritten partial chunk keeps its Blob until the attachment is written again.
    expect((await db.get('chunks', ['a', 'data', 2])) instanceof ArrayBuffer).toBe(true);
  });
});
