import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../memory/memory-storage';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { StorageWrapper } from '../storage-wrapper';
import type { AttachmentData, AttachmentFormat, GetAttachmentOptions } from '../types';
import { CacheStorage } from './cache-storage';

/** A real memory storage that counts the attachment reads reaching it (the "slow remote"). */
class CountingStorage extends StorageWrapper {
  reads: [number | undefined, number | undefined][] = [];
  override getAttachment<F extends AttachmentFormat = 'blob'>(id: string, name: string, options?: GetAttachmentOptions<F>): Promise<AttachmentData<F>> {
    this.reads.push([options?.start, options?.end]);
    return super.getAttachment(id, name, options);
  }
}

describeStorageConformance('cache over memory (blocks of 64 bytes, 1 KiB bound)', () => ({
  storage: new CacheStorage(new MemoryStorage(), new MemoryStorage(), { blockSize: 64, maxBytes: 1024, statTtlMs: 0 }),
  chunkSize: 64,
}));

const bytes = Uint8Array.from({ length: 1000 }, (_, index) => (index * 13) & 0xff);

async function setup(options = {}) {
  const slow = new CountingStorage(new MemoryStorage());
  await slow.put('a', {});
  await slow.putAttachment('a', 'data', bytes);
  const local = new MemoryStorage();
  return { slow, local, cache: new CacheStorage(slow, local, { blockSize: 100, ...options }) };
}

const read = async (cache: CacheStorage, start: number, end: number) =>
  [...new Uint8Array(await cache.getAttachment('a', 'data', { start, end, format: 'arraybuffer' }))];

describe('cache storage', () => {
  it('reads the same bytes as the slow storage, fetching whole aligned blocks once', async () => {
    const { slow, cache } = await setup();
    expect(await read(cache, 150, 420)).toEqual([...bytes.subarray(150, 420)]);
    expect(slow.reads).toEqual([[100, 200], [200, 300], [300, 400], [400, 500]]);
    expect(await read(cache, 250, 350)).toEqual([...bytes.subarray(250, 350)]);
    expect(slow.reads).toHaveLength(4); // served from the cache
    expect(await read(cache, 990, 2000)).toEqual([...bytes.subarray(990, 1000)]);
    expect(slow.reads.at(-1)).toEqual([900, 1000]);
  });

  it('keeps at most maxBytes, evicting the least recently used block', async () => {
    const { slow, local, cache } = await setup({ maxBytes: 300 });
    await read(cache, 0, 100); // block 0
    await read(cache, 100, 200); // block 1
    await read(cache, 200, 300); // block 2
    await read(cache, 0, 10); // block 0 used again: block 1 is now the oldest
    await read(cache, 300, 400); // block 3 evicts block 1
    expect(cache.cachedBytes).toBe(300);
    expect((await local.allDocs()).total_rows).toBe(3);
    const before = slow.reads.length;
    await read(cache, 0, 10);
    expect(slow.reads.length).toBe(before);
    await read(cache, 150, 160);
    expect(slow.reads.length).toBe(before + 1);
  });

  it('never serves old bytes after the attachment changes through it', async () => {
    const { cache } = await setup();
    await read(cache, 0, 100);
    await cache.putAttachment('a', 'data', new Uint8Array(50).fill(9));
    expect(await read(cache, 0, 100)).toEqual(new Array(50).fill(9));
  });

  it('remembers blocks kept in the local storage by an earlier session', async () => {
    const { slow, local, cache } = await setup();
    await read(cache, 0, 100);
    const later = new CacheStorage(slow, local, { blockSize: 100 });
    const before = slow.reads.length;
    expect(await read(later, 0, 100)).toEqual([...bytes.subarray(0, 100)]);
    expect(slow.reads.length).toBe(before);
  });
});
