import type { Observable } from 'rxjs';

/**
 * The storage interface every storage implements (jIO's, typed). Storages compose: a query, uuid, union, cache or
 * replicate storage wraps sub-storages and is itself a Storage. Every call takes an optional AbortSignal; an aborted
 * call rejects with the signal's reason (a DOMException named 'AbortError') and leaves nothing half-written.
 * Failures are StorageError (see storage-error.ts) with an HTTP-like status.
 */
export interface Storage {
  /** The document's JSON body (attachments are not included). 404 when missing, 400 for an empty id. */
  get(id: string, options?: CallOptions): Promise<Doc>;
  /** Creates or replaces the document; its attachments are kept. Resolves to the id. */
  put(id: string, doc: Doc, options?: CallOptions): Promise<string>;
  /**
   * Reads the document and writes what `change` makes of it as one atomic step (capability 'write'): no other write to
   * the document can come in between, so a read-modify-write never loses another writer's change, and two updates
   * racing on one document are both applied, one after the other. Use it instead of `get` then `put` whenever the
   * new body depends on the current one.
   *
   * `change` gets the current body (undefined when the document is missing) and its attachments as `allAttachments`
   * gives them, and returns the new body, `undefined` to leave the document as it is, or `null` to remove it (with
   * its attachments). It must be synchronous and free of side effects: IndexedDB runs it inside its transaction
   * (awaiting anything would end the transaction), and a storage without transactions may call it again after a
   * conflicting write. To refuse a version it did not expect, it throws, typically `new StorageError(409, …)`: an
   * error thrown by `change` rejects the call as it is, and nothing is written.
   * Resolves to the body stored afterwards (undefined when there is none). 400 for an empty id or a non-object body.
   */
  update(id: string, change: DocChange, options?: CallOptions): Promise<Doc | undefined>;
  /** Creates a document with a generated id (capability 'post'). Resolves to the new id. */
  post(doc: Doc, options?: CallOptions): Promise<string>;
  /** Removes the document and all its attachments. 404 when missing. */
  remove(id: string, options?: CallOptions): Promise<void>;
  /**
   * Lists documents (capability 'list'; querying, sorting, selecting and limiting need the capabilities of those names —
   * wrap in a query storage to get them on any storage).
   */
  allDocs(options?: AllDocsOptions): Promise<AllDocsResult>;

  /**
   * Reads an attachment, or the byte range [start, end) of it (capability 'range' for ranges without reading the whole).
   * `end` beyond the size is clamped; start > end, negative offsets → 400; missing → 404.
   */
  getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    options?: GetAttachmentOptions<F>,
  ): Promise<AttachmentData<F>>;
  /** Creates or replaces an attachment of an existing document (404 when the document is missing). */
  putAttachment(id: string, name: string, data: AttachmentInput, options?: PutAttachmentOptions): Promise<void>;
  /**
   * Appends bytes to an attachment, creating it when missing (capability 'append'): only the new tail is written.
   * Resolves to the attachment's new size in bytes.
   */
  appendAttachment(id: string, name: string, data: AttachmentInput, options?: PutAttachmentOptions): Promise<number>;
  removeAttachment(id: string, name: string, options?: CallOptions): Promise<void>;
  /** Attachment names of a document with their size and type. 404 when the document is missing. */
  allAttachments(id: string, options?: CallOptions): Promise<Record<string, AttachmentInfo>>;

  /**
   * The changes feed (capability 'changes'): one Change per document write or removal after `since`, in sequence order
   * (a document changed several times may appear once, at its latest sequence). Completes when caught up unless `live`.
   * Unsubscribing stops it and releases everything it holds.
   */
  changes(options?: ChangesOptions): Observable<Change>;

  /** Checks and mends the storage's own structures (indexes, orphan chunks); safe to run any time. */
  repair(options?: CallOptions): Promise<void>;
  /** Whether this storage supports a capability; calling a method it lacks rejects with 501. */
  hasCapacity(name: Capability): boolean;
}

/** A document body: a JSON object. Field names starting with '_' are reserved for storages (CouchDB transport fields). */
export type Doc = Record<string, unknown>;

/**
 * What `Storage.update` does with a document: from its current body (undefined: missing) and attachments, the new
 * body; `undefined` leaves it as it is, `null` removes it. Synchronous and without side effects (see `update`).
 */
export type DocChange = (current: Doc | undefined, attachments: Readonly<Record<string, AttachmentInfo>>) => Doc | null | undefined;

export interface CallOptions {
  signal?: AbortSignal;
}

export type Capability =
  | 'list' // allDocs without a query
  | 'query' // allDocs({query})
  | 'select' // allDocs({select_list})
  | 'sort' // allDocs({sort_on})
  | 'limit' // allDocs({limit})
  | 'include' // allDocs({include_docs})
  | 'post'
  | 'write' // put/remove/attachments (false on read-only storages such as http)
  | 'range' // getAttachment reads only the chunks covering [start, end)
  | 'append'
  | 'changes';

export type SortOrder = 'ascending' | 'descending';

export interface AllDocsOptions extends CallOptions {
  /** jIO query language, e.g. `portal_type:"Data Array" AND title:%field%`. Malformed → 400 with `details.position`. */
  query?: string;
  /** Sort keys applied in order, e.g. [['modification_date', 'descending'], ['title', 'ascending']]. */
  sort_on?: [string, SortOrder][];
  /** Properties copied into each row's `value`. */
  select_list?: string[];
  /** [offset, count]; [offset] alone means to the end. */
  limit?: [number, number?];
  /** Adds each row's whole document as `doc`. */
  include_docs?: boolean;
}

export interface AllDocsRow {
  id: string;
  /** The selected properties (empty without select_list). */
  value: Doc;
  doc?: Doc;
}

export interface AllDocsResult {
  /** Rows returned (after query and limit). */
  total_rows: number;
  rows: AllDocsRow[];
}

export type AttachmentFormat = 'blob' | 'arraybuffer' | 'text' | 'json';

export type AttachmentData<F extends AttachmentFormat> = F extends 'blob'
  ? Blob
  : F extends 'arraybuffer'
    ? ArrayBuffer
    : F extends 'text'
      ? string
      : unknown;

export interface GetAttachmentOptions<F extends AttachmentFormat = 'blob'> extends CallOptions {
  /** First byte, default 0. */
  start?: number;
  /** End byte, exclusive; default (and clamped to) the size. */
  end?: number;
  /** Default 'blob'. 'json' parses the text (400 when it is not JSON). */
  format?: F;
}

export type AttachmentInput = Blob | ArrayBuffer | ArrayBufferView | string;

export interface PutAttachmentOptions extends CallOptions {
  /** MIME type kept with the attachment; default the Blob's type, else 'application/octet-stream'. */
  contentType?: string;
  /**
   * The caller gives its bytes up (an ArrayBuffer or a view over a whole one): a storage may take the buffer over
   * (detach it) instead of copying it. Do not touch the buffer once the call is made.
   */
  handOver?: boolean;
}

export interface AttachmentInfo {
  /** Size in bytes. */
  length: number;
  contentType: string;
  /** Changes whenever the bytes change, when the storage can tell (for sync). */
  digest?: string;
  /**
   * Stays the same while the attachment is only appended to (its earlier bytes unchanged) and changes when it is
   * rewritten, when the storage can tell: sync then sends only the new tail of a growing array or recording.
   */
  appendBase?: string;
}

/** Position in a changes feed: numbers on our storages, opaque strings on CouchDB. */
export type Seq = number | string;

export interface Change {
  seq: Seq;
  id: string;
  deleted: boolean;
}

export interface ChangesOptions {
  /** Only changes after this sequence; 'now': only changes from now on (with `live`); default: from the beginning. */
  since?: Seq | 'now';
  /** Keep emitting new changes after catching up, until unsubscribed. Default false. */
  live?: boolean;
}
