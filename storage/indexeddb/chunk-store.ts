import type { IDBPTransaction, StoreNames } from 'idb';
import type { ChunkValue, IncomingBytes } from './chunk-values';
import type { AttachmentRecord, FieldscopeDB } from './database';

export type WriteTransaction = IDBPTransaction<FieldscopeDB, StoreNames<FieldscopeDB>[], 'readwrite'>;
export type ReadTransaction = IDBPTransaction<FieldscopeDB, ('attachments' | 'chunks')[], 'readonly'>;

/** Where an attachment's bytes live: IndexedDB chunks (beside its record) or one Origin Private File System file. */
export type BytesKind = 'indexeddb' | 'opfs';

export interface ChunkWrite {
  id: string;
  name: string;
  /** A whole new content, or bytes added after the attachment's `previous.length`. */
  mode: 'put' | 'append';
  /** The attachment record read before staging (undefined: none yet). */
  previous: AttachmentRecord | undefined;
  incoming: IncomingBytes;
  /** The caller gave the incoming buffer up (PutAttachmentOptions.handOver): the store may detach it. */
  handOver?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** Bytes written (or ready to be written) for one attachment write, made visible by its metadata transaction. */
export interface StagedBytes {
  /** The OPFS file that holds the bytes (undefined: IndexedDB chunks). */
  file: string | undefined;
  /**
   * Runs inside the metadata transaction with the attachment record as it is there (or the fresh one an append
   * starts from): IndexedDB writes its chunks; OPFS checks that nothing changed the record since staging (409).
   */
  commit(tx: WriteTransaction, meta: AttachmentRecord): Promise<void>;
  /** After a failed transaction: takes back what staging wrote (best effort: the start-up sweep catches the rest). */
  abandon(): Promise<void>;
}

/**
 * The part of the local storage that holds attachment bytes. Metadata always stays in IndexedDB; a store's bytes are
 * written before the transaction that makes them visible (OPFS) or inside it (IndexedDB), so a document never
 * points at bytes that are not all there.
 */
export interface ChunkStore {
  readonly kind: BytesKind;
  /** Writes what can be written before the metadata transaction. Rejects (with nothing left behind) on abort. */
  stage(write: ChunkWrite): Promise<StagedBytes>;
  /**
   * Bytes [start, end) (start < end ≤ meta.length) of the attachment, as stored pieces: the first one begins at byte
   * `offset`. IndexedDB reads within `tx`, which also read `meta`; OPFS reads after it.
   */
  read(tx: ReadTransaction, meta: AttachmentRecord, start: number, end: number): Promise<{ values: ChunkValue[]; offset: number }>;
}
