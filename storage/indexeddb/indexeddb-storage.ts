import { Subject } from 'rxjs';
import type { IDBPDatabase, StoreNames } from 'idb';
import { checkRange } from '../attachment-data';
import { changeFeed } from '../change-feed';
import { checkDoc, checkId, notFound, throwIfAborted, unsupported } from '../checks';
import { listRows } from '../query/list-rows';
import { parseQuery, type QueryNode } from '../query/query-parser';
import { StorageError } from '../storage-error';
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
import { ensureSpace, type SpaceEstimate } from '../quota';
import { withAttachmentLock } from '../opfs/bytes-locks';
import { detectOpfs } from '../opfs/opfs-files';
import { OpfsChunkStore } from '../opfs/opfs-chunk-store';
import { sweepOrphanFiles } from '../opfs/sweep-orphan-files';
import { incomingBytes, readChunks, type ChunkValue } from './chunk-values';
import type { BytesKind, ChunkStore, StagedBytes, WriteTransaction } from './chunk-store';
import { IndexedDBChunkStore } from './indexeddb-chunk-store';
import { INDEXED_KEYS, openDatabase, type AttachmentRecord, type FieldscopeDB } from './database';

/** Attachments are cut into Blob chunks of this size, so a range read touches only the chunks it needs. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

const capabilities = new Set<Capability>(['list', 'include', 'query', 'select', 'sort', 'limit', 'write', 'range', 'append', 'changes']);

type Store = StoreNames<FieldscopeDB>;
const ATTACHMENT_STORES: Store[] = ['documents', 'attachments', 'chunks', 'changes'];

/** Where attachment bytes go: 'auto' OPFS where sync access handles work (detected once), else IndexedDB chunks. */
export type BytesPreference = 'auto' | 'indexeddb' | 'opfs';

/** One sweep of orphan files per database and context: the first use of OPFS after a start. */
const sweeps = new Map<string, Promise<OpfsChunkStore | undefined>>();

export interface IndexedDBStorageOptions {
  /** Database name; default 'fieldscope'. */
  name?: string;
  /** Chunk size for attachments written from now on into IndexedDB; default 1 MiB. */
  chunkSize?: number;
  /**
   * Where new attachments' bytes go: 'auto' (default) one Origin Private File System file per attachment where sync
   * access handles work, else IndexedDB chunks; 'opfs' refuses (501) where they do not. Attachments already stored
   * stay where they are, readable and appendable, whatever the preference.
   */
  bytes?: BytesPreference;
  /**
   * How free space is known before a write of 1 MiB or more; default navigator.storage.estimate (its override in
   * Chromium's DevTools protocol does not reach estimate(), so tests of a full device pass their own).
   */
  estimate?: SpaceEstimate;
}

/**
 * The local storage of the app, in IndexedDB (via idb). Each write — a document, an attachment with all its chunks,
 * an append — is one transaction together with its changes-feed record: a crash, a quota error or a cancellation
 * leaves either all of it or none of it. Queries comparing an indexed key (portal_type, reference) with `=` read
 * that index instead of every document. Generating ids (post) is the UuidStorage's job.
 */
export class IndexedDBStorage implements Storage {
  readonly name: string;
  private readonly bytes: BytesPreference;
  private readonly estimate: SpaceEstimate | undefined;
  private readonly chunks: IndexedDBChunkStore;
  private readonly newChanges = new Subject<Change>();
  /** Other tabs' writes reach this tab's live changes feeds through here. */
  private readonly channel: BroadcastChannel | undefined;

  constructor({ name = 'fieldscope', chunkSize = DEFAULT_CHUNK_SIZE, bytes = 'auto', estimate }: IndexedDBStorageOptions = {}) {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new StorageError(400, `chunkSize must be a whole number > 0, not ${chunkSize}.`);
    this.name = name;
    this.bytes = bytes;
    this.estimate = estimate;
    this.chunks = new IndexedDBChunkStore(chunkSize);
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`fieldscope-changes:${name}`);
      this.channel.onmessage = (event: MessageEvent<Change>) => this.newChanges.next(event.data);
    }
  }

  hasCapacity(name: Capability): boolean {
    return capabilities.has(name);
  }

  async get(id: string, { signal }: CallOptions = {}): Promise<Doc> {
    throwIfAborted(signal);
    checkId(id);
    const record = await (await this.db()).get('documents', id);
    if (!record) throw notFound(id);
    return record.doc;
  }

  async put(id: string, doc: Doc, { signal }: CallOptions = {}): Promise<string> {
    checkId(id);
    checkDoc(doc);
    await this.write(['documents', 'changes'], signal, async (tx) => {
      await tx.objectStore('documents').put({ id, doc });
      return recordChange(tx, id, false);
    });
    return id;
  }

  /**
   * The read, `change` and the write run in one read-write transaction: IndexedDB queues every other transaction on
   * these stores (in this tab, other tabs and workers) until it commits, so nothing comes in between.
   */
  async update(id: string, change: DocChange, { signal }: CallOptions = {}): Promise<Doc | undefined> {
    checkId(id);
    let stored: Doc | undefined;
    let refused: { error: unknown } | undefined;
    try {
      await this.write(ATTACHMENT_STORES, signal, async (tx, removeFiles) => {
        const record = await tx.objectStore('documents').get(id);
        const attachments = record ? attachmentInfos(this.name, await tx.objectStore('attachments').getAll(documentRange(id))) : {};
        let next: Doc | null | undefined;
        try {
          next = change(record?.doc, attachments);
          if (next) checkDoc(next);
        } catch (error) {
          refused = { error };
          throw error;
        }
        stored = next === undefined ? record?.doc : (next ?? undefined);
        if (next === undefined || (next === null && !record)) return undefined;
        if (next === null) return deleteDocument(tx, id, removeFiles);
        await tx.objectStore('documents').put({ id, doc: next });
        return recordChange(tx, id, false);
      });
    } catch (error) {
      throw refused ? refused.error : error; // the change's own refusal (a 409…) reaches the caller as it was thrown
    }
    return stored;
  }

  async post(): Promise<string> {
    throw unsupported('indexeddb', 'generate ids (post)');
  }

  async remove(id: string, { signal }: CallOptions = {}): Promise<void> {
    checkId(id);
    await this.write(ATTACHMENT_STORES, signal, async (tx, removeFiles) => {
      if ((await tx.objectStore('documents').getKey(id)) === undefined) throw notFound(id);
      return deleteDocument(tx, id, removeFiles);
    });
  }

  async allDocs(options: AllDocsOptions = {}): Promise<AllDocsResult> {
    throwIfAborted(options.signal);
    const node = options.query ? parseQuery(options.query) : undefined;
    const db = await this.db();
    const indexed = node ? indexedClause(node) : undefined;
    const records = indexed
      ? await db.getAllFromIndex('documents', indexed.key, indexed.value)
      : await db.getAll('documents');
    throwIfAborted(options.signal);
    return listRows(records.map((record) => ({ id: record.id, value: {}, doc: record.doc })), options, node);
  }

  async getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    { start, end, format, signal }: GetAttachmentOptions<F> = {},
  ): Promise<AttachmentData<F>> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    for (let attempt = 1; ; attempt += 1) {
      const tx = (await this.db()).transaction(['attachments', 'chunks'], 'readonly');
      const meta = await tx.objectStore('attachments').get([id, name]);
      if (!meta) throw notFound(id, name);
      const range = checkRange(start, end, meta.length);
      try {
        // IndexedDB chunks are read in the same transaction as their record (no await in between); a file after it.
        const store = meta.file ? await this.opfsStore(true) : this.chunks;
        const { values, offset } = range.end > range.start ? await store.read(tx, meta, range.start, range.end) : { values: [] as ChunkValue[], offset: range.start };
        throwIfAborted(signal);
        return await readChunks(values, offset, range.start, range.end, meta.contentType, format);
      } catch (error) {
        // The file was replaced (and removed) between reading its record and reading it: read the new record.
        if ((error as Error).name !== 'NotFoundError' || attempt > 1) throw storageFailure(error);
      }
    }
  }

  async putAttachment(id: string, name: string, data: AttachmentInput, { contentType, signal, handOver }: PutAttachmentOptions = {}): Promise<void> {
    checkId(id);
    checkId(name, 'Attachment name');
    const incoming = await incomingBytes(data, contentType);
    await ensureSpace(incoming.size, this.estimate);
    const store = await this.preferredStore();
    await this.attachmentLock(id, name, async () => {
      const staged = await this.stage(store, { id, name, mode: 'put', previous: undefined, incoming, handOver, signal });
      await this.commit(staged, signal, async (tx, removeFiles) => {
        if ((await tx.objectStore('documents').getKey(id)) === undefined) throw notFound(id);
        const previous = await tx.objectStore('attachments').get([id, name]);
        await tx.objectStore('chunks').delete(attachmentRange(id, name));
        const meta = { ...freshRecord(id, name, this.chunks.chunkSize), revision: previous?.revision ?? 0 };
        await staged.commit(tx, meta);
        if (previous?.file && previous.file !== staged.file) removeFiles.push(previous.file);
        await tx.objectStore('attachments').put({ ...meta, length: incoming.size, contentType: incoming.type, revision: meta.revision + 1, file: staged.file });
        return recordChange(tx, id, false);
      });
    });
  }

  async appendAttachment(id: string, name: string, data: AttachmentInput, { contentType, signal, handOver }: PutAttachmentOptions = {}): Promise<number> {
    checkId(id);
    checkId(name, 'Attachment name');
    // Read before the transaction, which cannot wait for anything but its own requests. An append keeps the
    // attachment's existing type.
    const incoming = await incomingBytes(data, contentType);
    await ensureSpace(incoming.size, this.estimate);
    const preferred = await this.preferredStore();
    return this.attachmentLock(id, name, async () => {
      // An attachment keeps growing where it is (IndexedDB chunks or its file); a new one goes where new bytes go.
      const previous = await (await this.db()).get('attachments', [id, name]);
      const store = previous ? await this.storeOf(previous) : preferred;
      const staged = await this.stage(store, { id, name, mode: 'append', previous, incoming, handOver, signal });
      let size = 0;
      await this.commit(staged, signal, async (tx) => {
        if ((await tx.objectStore('documents').getKey(id)) === undefined) throw notFound(id);
        const meta = (await tx.objectStore('attachments').get([id, name])) ?? freshRecord(id, name, this.chunks.chunkSize);
        await staged.commit(tx, meta);
        size = meta.length + incoming.size;
        await tx.objectStore('attachments').put({
          ...meta,
          length: size,
          contentType: meta.contentType || incoming.type,
          revision: meta.revision + 1,
          file: staged.file ?? meta.file,
        });
        return recordChange(tx, id, false);
      });
      return size;
    });
  }

  async removeAttachment(id: string, name: string, { signal }: CallOptions = {}): Promise<void> {
    checkId(id);
    checkId(name, 'Attachment name');
    await this.write(['attachments', 'chunks', 'changes'], signal, async (tx, removeFiles) => {
      const meta = await tx.objectStore('attachments').get([id, name]);
      if (meta === undefined) throw notFound(id, name);
      if (meta.file) removeFiles.push(meta.file);
      await tx.objectStore('attachments').delete([id, name]);
      await tx.objectStore('chunks').delete(attachmentRange(id, name));
      return recordChange(tx, id, false);
    });
  }

  async allAttachments(id: string, { signal }: CallOptions = {}): Promise<Record<string, AttachmentInfo>> {
    throwIfAborted(signal);
    checkId(id);
    const tx = (await this.db()).transaction(['documents', 'attachments'], 'readonly');
    if ((await tx.objectStore('documents').getKey(id)) === undefined) throw notFound(id);
    return attachmentInfos(this.name, await tx.objectStore('attachments').getAll(documentRange(id)));
  }

  changes(options: ChangesOptions = {}) {
    return changeFeed(
      async (since) => {
        const records = await (await this.db()).getAll('changes', IDBKeyRange.lowerBound(since, true));
        return records.map(({ seq, id, deleted }) => ({ seq: seq as number, id, deleted }));
      },
      this.newChanges,
      options,
    );
  }

  /** Removes what a document no longer owns: attachment records and chunks whose document or attachment is gone. */
  async repair({ signal }: CallOptions = {}): Promise<void> {
    await this.write(['documents', 'attachments', 'chunks'], signal, async (tx) => {
      const ids = new Set(await tx.objectStore('documents').getAllKeys());
      const attachments = new Set<string>();
      for (const meta of await tx.objectStore('attachments').getAll()) {
        if (ids.has(meta.docId)) attachments.add(JSON.stringify([meta.docId, meta.name]));
        else await tx.objectStore('attachments').delete([meta.docId, meta.name]);
      }
      for (const key of await tx.objectStore('chunks').getAllKeys()) {
        if (!attachments.has(JSON.stringify([key[0], key[1]]))) await tx.objectStore('chunks').delete(key);
      }
      return undefined;
    });
    const opfs = await this.opfsStore(false);
    if (opfs) await sweepOrphanFiles(await this.db(), opfs.files, opfs.dir, this.name);
  }

  /** Where this storage keeps the bytes of attachments written from now on. */
  async bytesStore(): Promise<BytesKind> {
    return (await this.preferredStore()).kind;
  }

  private async preferredStore(): Promise<ChunkStore> {
    if (this.bytes === 'indexeddb') return this.chunks;
    const opfs = await this.opfsStore(this.bytes === 'opfs');
    return opfs ?? this.chunks;
  }

  private async storeOf(meta: AttachmentRecord): Promise<ChunkStore> {
    return meta.file ? this.opfsStore(true) : this.chunks;
  }

  /**
   * The OPFS store of this database once this context has swept the folder (the first use after a start), or
   * undefined where OPFS sync access handles are missing; `required`: a 501 then instead.
   */
  private opfsStore(required: true): Promise<OpfsChunkStore>;
  private opfsStore(required: boolean): Promise<OpfsChunkStore | undefined>;
  private async opfsStore(required: boolean): Promise<OpfsChunkStore | undefined> {
    let ready = sweeps.get(this.name);
    if (!ready) {
      ready = (async () => {
        const { files } = await detectOpfs();
        if (!files) return undefined;
        const store = new OpfsChunkStore(files, encodeURIComponent(this.name));
        await sweepOrphanFiles(await this.db(), files, store.dir, this.name);
        return store;
      })();
      sweeps.set(this.name, ready);
      ready.catch(() => sweeps.delete(this.name));
    }
    const store = await ready;
    if (!store && required) {
      const { inUse } = await detectOpfs();
      throw new StorageError(501, `Attachment bytes in the private file system (OPFS) are out of reach here: ${inUse.reason ?? 'no sync access handles'}.`);
    }
    return store;
  }

  /** Runs an attachment write holding its locks (bytes-locks.ts); the start-up sweep is over first (it takes them too). */
  private async attachmentLock<T>(id: string, name: string, body: () => Promise<T>): Promise<T> {
    if (typeof navigator === 'undefined' || !navigator.locks) return body();
    await this.opfsStore(false);
    return withAttachmentLock(this.name, id, name, body);
  }

  private async stage(store: ChunkStore, write: Parameters<ChunkStore['stage']>[0]): Promise<StagedBytes> {
    try {
      return await store.stage(write);
    } catch (error) {
      throwIfAborted(write.signal);
      throw storageFailure(error);
    }
  }

  /** The metadata transaction of a staged write; its bytes are taken back when it fails. */
  private async commit(staged: StagedBytes, signal: AbortSignal | undefined, body: (tx: WriteTransaction, removeFiles: string[]) => Promise<Change | undefined>): Promise<void> {
    try {
      await this.write(ATTACHMENT_STORES, signal, body);
    } catch (error) {
      await staged.abandon();
      throw error;
    }
  }

  /**
   * Runs `body` in one read-write transaction: all of it commits or none (a thrown error, an abort of `signal`, a full
   * disk abort the transaction). The change it records is announced once committed.
   */
  private async write(stores: Store[], signal: AbortSignal | undefined, body: (tx: WriteTransaction, removeFiles: string[]) => Promise<Change | undefined>): Promise<void> {
    throwIfAborted(signal);
    const db = await this.db();
    throwIfAborted(signal); // aborted while the database opened
    const tx = db.transaction(stores, 'readwrite');
    tx.done.catch(() => {}); // its failure is reported through the awaited path below
    const onAbort = () => {
      try {
        tx.abort();
      } catch {
        // already finished: nothing to undo
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const removeFiles: string[] = [];
      const change = await body(tx, removeFiles).catch((error: unknown) => {
        onAbort();
        throw error;
      });
      await tx.done;
      // Files no record points at any more; one left behind (held open elsewhere) is swept at the next start.
      const opfs = removeFiles.length > 0 ? await this.opfsStore(false) : undefined;
      await opfs?.files.remove(opfs.dir, removeFiles).catch(() => {});
      if (change) {
        this.newChanges.next(change);
        this.channel?.postMessage(change);
      }
    } catch (error) {
      throwIfAborted(signal);
      throw storageFailure(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private db(): Promise<IDBPDatabase<FieldscopeDB>> {
    return openDatabase(this.name).catch((error: unknown) => {
      throw new StorageError(500, `The local database "${this.name}" cannot be opened: ${(error as Error).message}`, {}, { cause: error });
    });
  }
}

/** What `allAttachments` says of a document's attachment records. */
function attachmentInfos(database: string, records: AttachmentRecord[]): Record<string, AttachmentInfo> {
  const result: Record<string, AttachmentInfo> = {};
  for (const meta of records) {
    // A base in the digest too: a revision number can come back after the attachment was removed and written again.
    const base = meta.appendBase ?? 'v1';
    result[meta.name] = { length: meta.length, contentType: meta.contentType, digest: `${database}:${base}:${meta.revision}`, appendBase: `${database}:${base}` };
  }
  return result;
}

/** A record for an attachment that has no bytes yet. */
function freshRecord(docId: string, name: string, chunkSize: number): AttachmentRecord {
  return { docId, name, length: 0, contentType: '', chunkSize, revision: 0, appendBase: crypto.randomUUID() };
}

/** Deletes a document with its attachments and chunks (its files once committed), and records the deletion. */
async function deleteDocument(tx: WriteTransaction, id: string, removeFiles: string[]): Promise<Change> {
  for (const meta of await tx.objectStore('attachments').getAll(documentRange(id))) if (meta.file) removeFiles.push(meta.file);
  await tx.objectStore('documents').delete(id);
  await tx.objectStore('attachments').delete(documentRange(id));
  await tx.objectStore('chunks').delete(documentRange(id));
  return recordChange(tx, id, true);
}

/** Moves a document's change record to the end of the feed. */
async function recordChange(tx: WriteTransaction, id: string, deleted: boolean): Promise<Change> {
  const changes = tx.objectStore('changes');
  const previous = await changes.index('id').getKey(id);
  if (previous !== undefined) await changes.delete(previous);
  const seq = await changes.add({ id, deleted });
  return { seq, id, deleted };
}

function documentRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]); // arrays sort after strings: covers [id, any name, …]
}

function attachmentRange(id: string, name: string): IDBKeyRange {
  return IDBKeyRange.bound([id, name, 0], [id, name, Infinity]);
}

/** A clause `key:=value` on an indexed key that every match must satisfy (the query, or one operand of its AND). */
function indexedClause(node: QueryNode): { key: (typeof INDEXED_KEYS)[number]; value: string } | undefined {
  const clauses = node.type === 'and' ? node.children : [node];
  for (const clause of clauses) {
    if (clause.type !== 'simple' || clause.operator !== '=' || clause.key === undefined) continue;
    const key = INDEXED_KEYS.find((candidate) => candidate === clause.key);
    if (key) return { key, value: clause.value };
  }
  return undefined;
}

function storageFailure(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') {
    return new StorageError(507, 'The device storage is full: nothing was written. Free space (delete data or other sites’ data), then try again.', {}, { cause: error });
  }
  if (name === 'AbortError') return error;
  if (name === 'DataCloneError') return new StorageError(400, 'A document must be plain JSON (no functions, DOM nodes or class instances).', {}, { cause: error });
  return new StorageError(500, `The local database failed: ${(error as Error)?.message ?? String(error)}`, {}, { cause: error });
}
