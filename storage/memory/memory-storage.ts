import { Subject } from 'rxjs';
import { checkRange, readAs, toBlob } from '../attachment-data';
import { changeFeed } from '../change-feed';
import { checkDoc, checkId, notFound, throwIfAborted, unsupported } from '../checks';
import type {
  AllDocsOptions,
  AllDocsResult,
  AttachmentData,
  AttachmentFormat,
  AttachmentInfo,
  AttachmentInput,
  CallOptions,
  Capability,
  Change,
  ChangesOptions,
  Doc,
  DocChange,
  GetAttachmentOptions,
  PutAttachmentOptions,
  Storage,
} from '../types';

interface Entry {
  doc: Doc;
  attachments: Map<string, Blob>;
}

const capabilities = new Set<Capability>(['list', 'include', 'write', 'range', 'append', 'changes']);

/**
 * Keeps everything in memory: for tests, benches and throwaway work. Lists without querying (wrap it in a
 * QueryStorage for that) and cannot generate ids (wrap it in a UuidStorage). Documents are copied in and out, so
 * callers never share objects with the storage.
 */
export class MemoryStorage implements Storage {
  private readonly entries = new Map<string, Entry>();
  /** Latest change per document, for the changes feed. */
  private readonly changeLog = new Map<string, Change>();
  private readonly newChanges = new Subject<Change>();
  private seq = 0;
  /** Attachment digests: a new one for every write, so replication sees changed bytes; and each one's append base. */
  private readonly digests = new WeakMap<Blob, { digest: string; appendBase: string }>();
  private writes = 0;

  hasCapacity(name: Capability): boolean {
    return capabilities.has(name);
  }

  async get(id: string, { signal }: CallOptions = {}): Promise<Doc> {
    throwIfAborted(signal);
    checkId(id);
    return structuredClone(this.entry(id).doc);
  }

  async put(id: string, doc: Doc, { signal }: CallOptions = {}): Promise<string> {
    throwIfAborted(signal);
    checkId(id);
    checkDoc(doc);
    this.store(id, doc);
    return id;
  }

  /** Atomic by construction: nothing else runs between the read and the write (no await in between). */
  async update(id: string, change: DocChange, { signal }: CallOptions = {}): Promise<Doc | undefined> {
    throwIfAborted(signal);
    checkId(id);
    const existing = this.entries.get(id);
    const next = change(existing && structuredClone(existing.doc), existing ? this.infos(existing) : {});
    if (next === undefined) return existing && structuredClone(existing.doc);
    if (next === null) {
      if (existing) {
        this.entries.delete(id);
        this.record(id, true);
      }
      return undefined;
    }
    checkDoc(next);
    this.store(id, next);
    return structuredClone(next);
  }

  async post(): Promise<string> {
    throw unsupported('memory', 'generate ids (post)');
  }

  async remove(id: string, { signal }: CallOptions = {}): Promise<void> {
    throwIfAborted(signal);
    checkId(id);
    this.entry(id);
    this.entries.delete(id);
    this.record(id, true);
  }

  async allDocs(options: AllDocsOptions = {}): Promise<AllDocsResult> {
    throwIfAborted(options.signal);
    if (options.query || options.sort_on || options.select_list || options.limit) {
      throw unsupported('memory', 'query, sort, select or limit (wrap it in a QueryStorage)');
    }
    const rows = [...this.entries.entries()].map(([id, entry]) =>
      options.include_docs ? { id, value: {}, doc: structuredClone(entry.doc) } : { id, value: {} },
    );
    return { total_rows: rows.length, rows };
  }

  async getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    { start, end, format, signal }: GetAttachmentOptions<F> = {},
  ): Promise<AttachmentData<F>> {
    throwIfAborted(signal);
    const blob = this.attachment(id, name);
    const range = checkRange(start, end, blob.size);
    return readAs(blob.slice(range.start, range.end, blob.type), format);
  }

  async putAttachment(id: string, name: string, data: AttachmentInput, { contentType, signal }: PutAttachmentOptions = {}): Promise<void> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    this.entry(id).attachments.set(name, this.stamp(toBlob(data, contentType)));
    this.record(id, false);
  }

  async appendAttachment(id: string, name: string, data: AttachmentInput, { contentType, signal }: PutAttachmentOptions = {}): Promise<number> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    const attachments = this.entry(id).attachments;
    const existing = attachments.get(name);
    const tail = toBlob(data, contentType ?? existing?.type);
    const blob = existing ? new Blob([existing, tail], { type: existing.type }) : tail;
    attachments.set(name, this.stamp(blob, existing && this.digests.get(existing)?.appendBase));
    this.record(id, false);
    return blob.size;
  }

  async removeAttachment(id: string, name: string, { signal }: CallOptions = {}): Promise<void> {
    throwIfAborted(signal);
    this.attachment(id, name);
    this.entry(id).attachments.delete(name);
    this.record(id, false);
  }

  async allAttachments(id: string, { signal }: CallOptions = {}): Promise<Record<string, AttachmentInfo>> {
    throwIfAborted(signal);
    checkId(id);
    return this.infos(this.entry(id));
  }

  changes(options: ChangesOptions = {}) {
    return changeFeed(
      async (since) => [...this.changeLog.values()].filter((change) => (change.seq as number) > since).sort((a, b) => (a.seq as number) - (b.seq as number)),
      this.newChanges,
      options,
    );
  }

  async repair({ signal }: CallOptions = {}): Promise<void> {
    throwIfAborted(signal); // nothing can be out of step in memory
  }

  private store(id: string, doc: Doc): void {
    const existing = this.entries.get(id);
    this.entries.set(id, { doc: structuredClone(doc), attachments: existing?.attachments ?? new Map() });
    this.record(id, false);
  }

  private infos(entry: Entry): Record<string, AttachmentInfo> {
    const result: Record<string, AttachmentInfo> = {};
    for (const [name, blob] of entry.attachments) {
      const stamp = this.digests.get(blob);
      result[name] = { length: blob.size, contentType: blob.type, digest: stamp?.digest ?? '', ...(stamp ? { appendBase: stamp.appendBase } : {}) };
    }
    return result;
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw notFound(id);
    return entry;
  }

  private attachment(id: string, name: string): Blob {
    checkId(id);
    checkId(name, 'Attachment name');
    const blob = this.entry(id).attachments.get(name);
    if (!blob) throw notFound(id, name);
    return blob;
  }

  /** A new digest for the bytes; the append base carries over from the blob appended to, else is new too. */
  private stamp(blob: Blob, appendBase?: string): Blob {
    const digest = `memory-${++this.writes}`;
    this.digests.set(blob, { digest, appendBase: appendBase ?? digest });
    return blob;
  }

  private record(id: string, deleted: boolean): void {
    const change = { seq: ++this.seq, id, deleted };
    this.changeLog.delete(id); // keeps the map in sequence order
    this.changeLog.set(id, change);
    this.newChanges.next(change);
  }
}
