import { checkRange, readAs } from '../attachment-data';
import { checkId, notFound, throwIfAborted } from '../checks';
import { isStorageError } from '../storage-error';
import { StorageWrapper } from '../storage-wrapper';
import type {
  AttachmentData,
  AttachmentFormat,
  AttachmentInfo,
  AttachmentInput,
  CallOptions,
  Doc,
  DocChange,
  GetAttachmentOptions,
  PutAttachmentOptions,
  Storage,
} from '../types';

export interface CacheStorageOptions {
  /** Bytes of attachment blocks kept; least recently used blocks go first. Default 64 MiB. */
  maxBytes?: number;
  /** Attachments are fetched and kept in aligned blocks of this size. Default 1 MiB. */
  blockSize?: number;
  /** How long an attachment's size and digest are trusted before asking the slow storage again. Default 5 s. */
  statTtlMs?: number;
}

const BLOCK = 'block';

/**
 * A read-through cache in front of a slow storage (a remote): attachment ranges are fetched in aligned blocks, kept in
 * a fast local storage under a size bound with least-recently-used eviction, so viewing a remote array reads only the
 * blocks on screen, once. Blocks are keyed by the attachment's digest, so a changed attachment is never served stale
 * (after at most `statTtlMs`). Everything else passes through; writes through the cache drop what it kept.
 */
export class CacheStorage extends StorageWrapper {
  private readonly maxBytes: number;
  private readonly blockSize: number;
  private readonly statTtlMs: number;
  /** Cached block ids → bytes, in least- to most-recently used order (a Map keeps insertion order). */
  private lru: Map<string, number> | undefined;
  private indexLoading: Promise<Map<string, number>> | undefined;
  private usedBytes = 0;
  private readonly stats = new Map<string, { info: AttachmentInfo; until: number }>();

  constructor(
    slow: Storage,
    private readonly cache: Storage,
    { maxBytes = 64 * 1024 * 1024, blockSize = 1024 * 1024, statTtlMs = 5000 }: CacheStorageOptions = {},
  ) {
    super(slow);
    this.maxBytes = maxBytes;
    this.blockSize = blockSize;
    this.statTtlMs = statTtlMs;
  }

  /** Bytes of blocks kept now. */
  get cachedBytes(): number {
    return this.usedBytes;
  }

  override async getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    { start, end, format, signal }: GetAttachmentOptions<F> = {},
  ): Promise<AttachmentData<F>> {
    throwIfAborted(signal);
    checkId(id);
    const info = await this.stat(id, name, signal);
    const range = checkRange(start, end, info.length);
    const parts: Blob[] = [];
    if (range.end > range.start) {
      const first = Math.floor(range.start / this.blockSize);
      const last = Math.floor((range.end - 1) / this.blockSize);
      for (let block = first; block <= last; block += 1) parts.push(await this.block(id, name, info, block, signal));
    }
    const offset = Math.floor(range.start / this.blockSize) * this.blockSize;
    const blob = new Blob(parts, { type: info.contentType }).slice(range.start - offset, range.end - offset, info.contentType);
    return readAs(blob, format);
  }

  override async putAttachment(id: string, name: string, data: AttachmentInput, options?: PutAttachmentOptions): Promise<void> {
    await this.sub.putAttachment(id, name, data, options);
    this.stats.delete(statKey(id, name));
  }

  override async appendAttachment(id: string, name: string, data: AttachmentInput, options?: PutAttachmentOptions): Promise<number> {
    const size = await this.sub.appendAttachment(id, name, data, options);
    this.stats.delete(statKey(id, name));
    return size;
  }

  override async removeAttachment(id: string, name: string, options?: CallOptions): Promise<void> {
    await this.sub.removeAttachment(id, name, options);
    this.stats.delete(statKey(id, name));
  }

  override async remove(id: string, options?: CallOptions): Promise<void> {
    await this.sub.remove(id, options);
    this.forgetDocument(id);
  }

  override async update(id: string, change: DocChange, options?: CallOptions): Promise<Doc | undefined> {
    const stored = await this.sub.update(id, change, options);
    if (stored === undefined) this.forgetDocument(id); // removed (or never there): its attachments' stats are stale
    return stored;
  }

  override async put(id: string, doc: Doc, options?: CallOptions): Promise<string> {
    return this.sub.put(id, doc, options);
  }

  /** Size, type and digest of an attachment, asked of the slow storage at most once per `statTtlMs`. */
  private async stat(id: string, name: string, signal: AbortSignal | undefined): Promise<AttachmentInfo> {
    const key = statKey(id, name);
    const known = this.stats.get(key);
    if (known && known.until > Date.now()) return known.info;
    const all = await this.sub.allAttachments(id, signal ? { signal } : {});
    const info = all[name];
    if (!info) throw notFound(id, name);
    this.stats.set(key, { info, until: Date.now() + this.statTtlMs });
    return info;
  }

  private async block(id: string, name: string, info: AttachmentInfo, block: number, signal: AbortSignal | undefined): Promise<Blob> {
    const lru = await this.loadIndex();
    const blockId = [id, name, info.digest ?? `length-${info.length}`, block].join('\u0001');
    if (lru.has(blockId)) {
      try {
        const cached = await this.cache.getAttachment(blockId, BLOCK, signal ? { signal } : {});
        lru.delete(blockId);
        lru.set(blockId, cached.size); // now the most recently used
        return cached;
      } catch (error) {
        if (!isStorageError(error, 404)) throw error;
        this.forget(blockId); // evicted by another tab: fetch again
      }
    }
    const start = block * this.blockSize;
    const bytes = await this.sub.getAttachment(id, name, { start, end: Math.min(start + this.blockSize, info.length), ...(signal ? { signal } : {}) });
    await this.keep(blockId, bytes);
    return bytes;
  }

  private async keep(blockId: string, bytes: Blob): Promise<void> {
    const lru = await this.loadIndex();
    await this.cache.put(blockId, { cached: new Date().toISOString() });
    await this.cache.putAttachment(blockId, BLOCK, bytes);
    lru.set(blockId, bytes.size);
    this.usedBytes += bytes.size;
    for (const [oldest] of lru) {
      if (this.usedBytes <= this.maxBytes || oldest === blockId) break;
      this.forget(oldest);
      await this.cache.remove(oldest).catch(() => undefined); // already gone is fine
    }
  }

  private forgetDocument(id: string): void {
    for (const key of this.stats.keys()) if (key.startsWith(`${id}\u0001`)) this.stats.delete(key);
  }

  private forget(blockId: string): void {
    this.usedBytes -= this.lru?.get(blockId) ?? 0;
    this.lru?.delete(blockId);
  }

  /** Learns which blocks the cache storage already holds (from an earlier session) the first time it is needed. */
  private loadIndex(): Promise<Map<string, number>> {
    this.indexLoading ??= this.readIndex();
    return this.indexLoading;
  }

  private async readIndex(): Promise<Map<string, number>> {
    const lru = new Map<string, number>();
    let used = 0;
    if (this.cache.hasCapacity('list')) {
      for (const row of (await this.cache.allDocs()).rows) {
        const size = (await this.cache.allAttachments(row.id).catch(() => ({}) as Record<string, AttachmentInfo>))[BLOCK]?.length ?? 0;
        lru.set(row.id, size);
        used += size;
      }
    }
    this.lru = lru;
    this.usedBytes = used;
    return lru;
  }
}

function statKey(id: string, name: string): string {
  return `${id}\u0001${name}`;
}
