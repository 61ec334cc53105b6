import { describe, expect, it } from 'vitest';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { openDatabase } from '../indexeddb/database';
import { IndexedDBStorage } from '../indexeddb/indexeddb-storage';
import { isStorageError } from '../storage-error';
import { detectOpfs, type OpfsFiles } from './opfs-files';

// The conformance suite and the crash-safety rules against real OPFS sync access handles in Chromium.
let counter = 0;
const freshName = () => `opfs-${Date.now()}-${++counter}`;

async function files(): Promise<OpfsFiles> {
  const { files } = await detectOpfs();
  if (!files) throw new Error('Chromium should have OPFS sync access handles');
  return files;
}

describeStorageConformance('indexeddb with OPFS bytes in Chromium', () => ({ storage: new IndexedDBStorage({ name: freshName(), bytes: 'opfs' }) }));

describe('attachment bytes in OPFS', () => {
  it('detects sync access handles and keeps bytes in one file per attachment, none in IndexedDB chunks', async () => {
    expect((await detectOpfs()).inUse).toEqual({ kind: 'opfs' });
    const name = freshName();
    const storage = new IndexedDBStorage({ name, bytes: 'opfs' });
    expect(await storage.bytesStore()).toBe('opfs');
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', new Uint8Array(3 * 1024 * 1024).fill(9));
    await storage.appendAttachment('a', 'data', new Uint8Array([1, 2, 3]));
    const db = await openDatabase(name);
    expect(await db.count('chunks')).toBe(0);
    const meta = await db.get('attachments', ['a', 'data']);
    const listed = await (await files()).list(encodeURIComponent(name));
    expect(listed).toEqual([{ file: meta?.file, size: 3 * 1024 * 1024 + 3 }]);
    const tail = await storage.getAttachment('a', 'data', { start: 3 * 1024 * 1024 - 1, end: 3 * 1024 * 1024 + 3, format: 'arraybuffer' });
    expect(new Uint8Array(tail)).toEqual(new Uint8Array([9, 1, 2, 3]));
  });

  it('takes a handed-over buffer without a copy (it is detached) and stores its bytes; a view of part of a buffer is copied', async () => {
    const storage = new IndexedDBStorage({ name: freshName(), bytes: 'opfs' });
    await storage.put('a', {});
    const whole = new Float32Array(1 << 20).map((_, index) => index * 0.5);
    const expected = whole.slice();
    await storage.appendAttachment('a', 'data', whole, { handOver: true });
    expect(whole.buffer.byteLength).toBe(0); // transferred to the file worker
    const partOf = new Uint8Array(16).fill(7).subarray(4, 12);
    await storage.appendAttachment('a', 'data', partOf, { handOver: true });
    expect(partOf.buffer.byteLength).toBe(16); // not the caller's whole buffer: copied, left as it was
    const stored = await storage.getAttachment('a', 'data', { format: 'arraybuffer' });
    expect(new Float32Array(stored, 0, expected.length)).toEqual(expected);
    expect(new Uint8Array(stored, expected.byteLength)).toEqual(new Uint8Array(8).fill(7));
  });

  it('a rewrite goes to a new file and the old one is removed once the new record is committed; removal removes files', async () => {
    const name = freshName();
    const storage = new IndexedDBStorage({ name, bytes: 'opfs' });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', 'first');
    const db = await openDatabase(name);
    const first = (await db.get('attachments', ['a', 'data']))?.file;
    await storage.putAttachment('a', 'data', 'second');
    const second = (await db.get('attachments', ['a', 'data']))?.file;
    expect(second).not.toBe(first);
    expect((await (await files()).list(encodeURIComponent(name))).map((entry) => entry.file)).toEqual([second]);
    await storage.putAttachment('a', 'other', 'x');
    await storage.removeAttachment('a', 'other');
    await storage.remove('a');
    expect(await (await files()).list(encodeURIComponent(name))).toEqual([]);
  });

  it('the sweep removes files no record points at and cuts bytes beyond the committed length (a crash before the commit)', async () => {
    const name = freshName();
    const storage = new IndexedDBStorage({ name, bytes: 'opfs' });
    await storage.put('a', {});
    await storage.appendAttachment('a', 'data', new Uint8Array([1, 2, 3, 4]));
    const file = (await (await openDatabase(name)).get('attachments', ['a', 'data']))?.file as string;
    const opfs = await files();
    const dir = encodeURIComponent(name);
    // What a page killed mid-write leaves: an append's bytes without its record, a whole new file without its record.
    await opfs.write(dir, file, 4, new Uint8Array([5, 6, 7]));
    await opfs.write(dir, 'staged-never-committed', 0, new Uint8Array(100));
    expect(await storage.getAttachment('a', 'data', { format: 'arraybuffer' })).toEqual(new Uint8Array([1, 2, 3, 4]).buffer);
    await storage.repair(); // the same sweep as at start
    expect(await opfs.list(dir)).toEqual([{ file, size: 4 }]);
    expect(await storage.appendAttachment('a', 'data', new Uint8Array([8]))).toBe(5);
    expect(new Uint8Array(await storage.getAttachment('a', 'data', { format: 'arraybuffer' }))).toEqual(new Uint8Array([1, 2, 3, 4, 8]));
  });

  it('a cancelled write leaves nothing of itself, in the record or on disk', async () => {
    const name = freshName();
    const storage = new IndexedDBStorage({ name, bytes: 'opfs' });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', 'old bytes');
    const controller = new AbortController();
    const writing = storage.putAttachment('a', 'data', new Uint8Array(64 * 1024 * 1024), { signal: controller.signal });
    setTimeout(() => controller.abort(), 5); // while the 16 MiB pieces go to the worker
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    expect(await storage.getAttachment('a', 'data', { format: 'text' })).toBe('old bytes');
    expect(await (await files()).list(encodeURIComponent(name))).toHaveLength(1);
  });

  it('attachments kept in IndexedDB chunks stay readable and appendable where they are; new ones go to OPFS', async () => {
    const name = freshName();
    const before = new IndexedDBStorage({ name, bytes: 'indexeddb', chunkSize: 4 });
    await before.put('a', {});
    await before.putAttachment('a', 'old', new Uint8Array([0, 1, 2, 3, 4, 5]));
    const storage = new IndexedDBStorage({ name, bytes: 'auto', chunkSize: 4 });
    expect(await storage.appendAttachment('a', 'old', new Uint8Array([6, 7]))).toBe(8);
    expect(new Uint8Array(await storage.getAttachment('a', 'old', { start: 3, format: 'arraybuffer' }))).toEqual(new Uint8Array([3, 4, 5, 6, 7]));
    await storage.putAttachment('a', 'new', 'in a file');
    const db = await openDatabase(name);
    expect((await db.get('attachments', ['a', 'old']))?.file).toBeUndefined();
    expect((await db.get('attachments', ['a', 'new']))?.file).toBeTypeOf('string');
    expect(await db.count('chunks')).toBe(2);
    // Written whole again, the old attachment moves to OPFS and its chunks go.
    await storage.putAttachment('a', 'old', 'moved');
    expect(await db.count('chunks')).toBe(0);
    expect(await storage.getAttachment('a', 'old', { format: 'text' })).toBe('moved');
  });

  it('a write that does not fit the quota fails with 507 before anything is written, saying what is needed and what can be freed', async () => {
    const name = freshName();
    // A device with 8 MiB left: the real usage, a quota just above it.
    const nearlyFull = async () => {
      const { usage = 0 } = await navigator.storage.estimate();
      return { usage, quota: usage + 8 * 1024 * 1024 };
    };
    const storage = new IndexedDBStorage({ name, bytes: 'opfs', estimate: nearlyFull });
    await storage.put('a', {});
    await storage.putAttachment('a', 'data', 'kept');
    const error = await storage.appendAttachment('a', 'data', new Uint8Array(32 * 1024 * 1024)).catch((caught: unknown) => caught);
    expect(isStorageError(error, 507)).toBe(true);
    expect((error as Error).message).toMatch(/needs 3\d MB, and 8\.\d MB .* is free.*Nothing was written.*"Free space on this device" on arrays the server already has/);
    await expect(storage.putAttachment('a', 'data', new Uint8Array(32 * 1024 * 1024))).rejects.toMatchObject({ status: 507 });
    expect(await storage.getAttachment('a', 'data', { format: 'text' })).toBe('kept');
    expect(await (await files()).list(encodeURIComponent(name))).toEqual([expect.objectContaining({ size: 4 })]);
    await storage.appendAttachment('a', 'data', new Uint8Array(2 * 1024 * 1024)); // what fits is written
  });
});
