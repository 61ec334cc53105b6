import { Observable } from 'rxjs';
import { checkRange, toBlob } from '../attachment-data';
import { checkDoc, checkId, notFound, throwIfAborted, unsupported } from '../checks';
import { StorageError } from '../storage-error';
import { groupPieces, parsePieceName, PIECE_SIZE, pieceName, toBase64 } from './pieces';
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
import type { CouchAttachment, CouchClient, CouchDoc, Seq } from './couch-client';
import { attachmentsOf, callRemote, readPieces } from './piece-attachments';
import { RemoteError } from './remote-error';

const capabilities = new Set<Capability>(['list', 'include', 'post', 'write', 'range', 'append', 'changes']);

/** Writes retried after a 409 (another writer got in between) before giving up. */
const CONFLICT_RETRIES = 50;

/** Bytes of pieces sent in one document write (a large attachment takes several revisions, memory bounded by one). */
const WRITE_BYTES = 8 * 1024 * 1024;

export interface CouchStorageOptions {
  /** How long a live changes feed waits on the server per request (longpoll), in ms. Default 25 s. */
  longpollMs?: number;
}

/**
 * The project's Storage over a CouchDB-protocol database (CouchDB 3, Cloudant, pouchdb-server), read and written in the
 * replicator's format: attachments are PIECE_SIZE pieces `data#0`, `data#1`… (see replicate/chunk-names.ts), so what is
 * written here is what the app syncs and reads by range, and compute/'s operations run against a server database
 * unchanged (the server workers). Every write is a compare-and-set on the document's `_rev`: `update` reads, applies its
 * change and writes with that `_rev`, and on a 409 (another writer came in between) reads and applies it again, so no
 * writer's change is lost. Ids of `post` are random UUIDs. Listing is plain (no query: wrap in a QueryStorage);
 * design documents are not listed nor fed.
 */
export class CouchStorage implements Storage {
  private readonly longpollMs: number;

  constructor(
    readonly client: CouchClient,
    { longpollMs = 25_000 }: CouchStorageOptions = {},
  ) {
    this.longpollMs = longpollMs;
  }

  hasCapacity(name: Capability): boolean {
    return capabilities.has(name);
  }

  async get(id: string, { signal }: CallOptions = {}): Promise<Doc> {
    const doc = await this.read(id, signal);
    if (!doc) throw notFound(id);
    return bodyOf(doc);
  }

  async put(id: string, doc: Doc, options: CallOptions = {}): Promise<string> {
    checkId(id);
    checkDoc(doc);
    await this.update(id, () => doc, options);
    return id;
  }

  async update(id: string, change: DocChange, { signal }: CallOptions = {}): Promise<Doc | undefined> {
    throwIfAborted(signal);
    checkId(id);
    return this.writeWithRetry(id, signal, async (current) => {
      const next = change(current && bodyOf(current), current ? attachmentsOf(current) : {});
      if (next === undefined) return { result: current && bodyOf(current) };
      if (next === null) {
        if (current) await this.client.remove(id, current._rev!, signalOf(signal));
        return { result: undefined };
      }
      checkDoc(next);
      // The attachments stay as they are: CouchDB keeps a stub's bytes.
      await this.client.put({ ...withoutReserved(next), _id: id, ...(current ? { _rev: current._rev!, _attachments: current._attachments ?? {} } : {}) }, signalOf(signal));
      return { result: structuredClone(next) };
    });
  }

  async post(doc: Doc, options: CallOptions = {}): Promise<string> {
    checkDoc(doc);
    const id = crypto.randomUUID();
    await this.put(id, doc, options);
    return id;
  }

  async remove(id: string, { signal }: CallOptions = {}): Promise<void> {
    throwIfAborted(signal);
    checkId(id);
    await this.writeWithRetry(id, signal, async (current) => {
      if (!current) throw notFound(id);
      await this.client.remove(id, current._rev!, signalOf(signal));
      return { result: undefined };
    });
  }

  async allDocs(options: AllDocsOptions = {}): Promise<AllDocsResult> {
    throwIfAborted(options.signal);
    if (options.query || options.sort_on || options.select_list || options.limit) {
      throw unsupported('CouchDB', 'query, sort, select or limit (wrap it in a QueryStorage)');
    }
    const listed = await callRemote(() => this.client.allDocs({ includeDocs: options.include_docs === true, ...signalOf(options.signal) }), '_all_docs', undefined, options.signal);
    const rows = listed.rows
      .filter((row) => !row.key.startsWith('_design/'))
      .map((row) => (options.include_docs && row.doc ? { id: row.key, value: {}, doc: bodyOf(row.doc) } : { id: row.key, value: {} }));
    return { total_rows: rows.length, rows };
  }

  async getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    { start, end, format, signal }: GetAttachmentOptions<F> = {},
  ): Promise<AttachmentData<F>> {
    checkId(name, 'Attachment name');
    const doc = await this.read(id, signal);
    const info = doc && attachmentsOf(doc)[name];
    if (!doc || !info) throw notFound(id, name);
    return readPieces(this.client, doc, name, info, checkRange(start, end, info.length), format, signal);
  }

  async putAttachment(id: string, name: string, data: AttachmentInput, { contentType, signal }: PutAttachmentOptions = {}): Promise<void> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    const blob = toBlob(data, contentType);
    await this.writePieces(id, name, blob, 0, true, signal);
  }

  async appendAttachment(id: string, name: string, data: AttachmentInput, { contentType, signal }: PutAttachmentOptions = {}): Promise<number> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    const tail = toBlob(data, contentType);
    return this.writeWithRetry(id, signal, async (current) => {
      if (!current) throw notFound(id);
      return { result: await this.appendOn(current, name, tail, contentType, Infinity, signal) };
    });
  }

  /**
   * Appends `data` to attachment `name` and writes the body `change` makes of the current one in the same single
   * write, so the server keeps both or neither (the ingest command records how far each source has reached this way,
   * making a resent piece harmless). `change` gets the current body and the attachment's size; it returns the new body,
   * or undefined to write nothing (then it resolves to the size as it is). Re-run on a fresh read after a 409. The new
   * bytes and the part-filled last piece must fit in one write (8 MiB), else 400 and nothing is written.
   */
  async appendAttachmentWith(
    id: string,
    name: string,
    data: AttachmentInput,
    change: (body: Doc, size: number) => Doc | undefined,
    { contentType, signal }: PutAttachmentOptions = {},
  ): Promise<number> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    const tail = toBlob(data, contentType);
    return this.writeWithRetry(id, signal, async (current) => {
      if (!current) throw notFound(id);
      const size = attachmentsOf(current)[name]?.length ?? 0;
      const next = change(bodyOf(current), size);
      if (next === undefined) return { result: size };
      checkDoc(next);
      const rewritten: CouchDoc = { ...withoutReserved(next), _id: current._id, _rev: current._rev!, _attachments: current._attachments ?? {} };
      return { result: await this.appendOn(rewritten, name, tail, contentType, WRITE_BYTES, signal) };
    });
  }

  /** Writes `tail` after attachment `name` of `current`; refused (400) when it would take more than `limit` bytes in one write. */
  private async appendOn(current: CouchDoc, name: string, tail: Blob, contentType: string | undefined, limit: number, signal: AbortSignal | undefined): Promise<number> {
    const info = attachmentsOf(current)[name];
    const type = contentType ?? info?.contentType ?? tail.type;
    const tooLarge = (bytes: number) => {
      if (bytes > limit) throw new StorageError(400, `${bytes} bytes cannot be appended to "${name}" of "${current._id}" in one write: send at most ${limit - PIECE_SIZE} bytes at a time.`, { id: current._id, name });
    };
    if (!info) {
      tooLarge(tail.size);
      return this.writePiecesOn(current, name, new Blob([tail], { type }), 0, true, signal);
    }
    if (!current._attachments?.[pieceName(name, 0)]) {
      // Written whole by another client: made into pieces, the new bytes after it.
      tooLarge(info.length + tail.size);
      const whole = await readPieces(this.client, current, name, info, { start: 0, end: info.length }, 'blob', signal);
      return this.writePiecesOn(current, name, new Blob([whole, tail], { type }), 0, true, signal);
    }
    // Only the last piece, if partly filled, is rewritten; the pieces before it (and a full last one) are kept as they are.
    const lastIndex = Math.floor(info.length / PIECE_SIZE);
    const kept = lastIndex * PIECE_SIZE;
    tooLarge(info.length - kept + tail.size);
    const partial = info.length > kept ? await readPieces(this.client, current, name, info, { start: kept, end: info.length }, 'blob', signal) : new Blob([]);
    return this.writePiecesOn(current, name, new Blob([partial, tail], { type }), lastIndex, false, signal);
  }

  async removeAttachment(id: string, name: string, { signal }: CallOptions = {}): Promise<void> {
    throwIfAborted(signal);
    checkId(id);
    checkId(name, 'Attachment name');
    await this.writeWithRetry(id, signal, async (current) => {
      if (!current || !attachmentsOf(current)[name]) throw notFound(id, name);
      const attachments = otherAttachments(current, name);
      await this.client.put({ ...current, _attachments: attachments }, signalOf(signal));
      return { result: undefined };
    });
  }

  async allAttachments(id: string, { signal }: CallOptions = {}): Promise<Record<string, AttachmentInfo>> {
    const doc = await this.read(id, signal);
    if (!doc) throw notFound(id);
    return attachmentsOf(doc);
  }

  changes({ since, live = false }: ChangesOptions = {}): Observable<Change> {
    return new Observable<Change>((subscriber) => {
      const controller = new AbortController();
      const signal = controller.signal;
      const follow = async () => {
        let position: Seq | undefined = since === 'now' ? (await this.client.info({ signal })).update_seq : since;
        // Caught up page by page, then (live) one longpoll after another until unsubscribed (a longpoll answers at
        // once while changes are waiting).
        for (let page = 0; !signal.aborted; page += 1) {
          const feed = await this.client.changes({
            ...(position === undefined ? {} : { since: position }),
            limit: 500,
            ...(live && page > 0 ? { feed: 'longpoll' as const, timeout: this.longpollMs } : {}),
            signal,
          });
          for (const row of feed.results) {
            if (row.id.startsWith('_design/')) continue;
            subscriber.next({ seq: row.seq, id: row.id, deleted: row.deleted === true });
          }
          position = feed.results.length > 0 ? feed.last_seq : position;
          if (feed.results.length === 0 && !live) break;
        }
        subscriber.complete();
      };
      follow().catch((error: unknown) => {
        if (!signal.aborted) subscriber.error(error);
      });
      return () => controller.abort();
    });
  }

  async repair({ signal }: CallOptions = {}): Promise<void> {
    throwIfAborted(signal); // the server keeps its own structures
  }

  /** The current revision with attachment stubs; undefined when missing or deleted. */
  private async read(id: string, signal: AbortSignal | undefined): Promise<CouchDoc | undefined> {
    throwIfAborted(signal);
    checkId(id);
    try {
      const doc = await callRemote(() => this.client.get(id, signalOf(signal)), id, undefined, signal);
      return doc._deleted ? undefined : doc;
    } catch (error) {
      if (error instanceof StorageError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Reads the document and runs `write` on it, again from a fresh read when the server answers 409 (someone wrote in
   * between): a compare-and-set on `_rev`. Bounded; after that many conflicts the 409 is passed on.
   */
  private async writeWithRetry<T>(id: string, signal: AbortSignal | undefined, write: (current: CouchDoc | undefined) => Promise<{ result: T }>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.read(id, signal);
      try {
        return (await callRemote(() => write(current), id, undefined, signal)).result;
      } catch (error) {
        if (!(error instanceof StorageError && error.status === 409) || attempt >= CONFLICT_RETRIES || error.details['status'] === undefined) throw error;
      }
    }
  }

  private writePieces(id: string, name: string, blob: Blob, firstIndex: number, replace: boolean, signal: AbortSignal | undefined): Promise<number> {
    return this.writeWithRetry(id, signal, async (current) => {
      if (!current) throw notFound(id);
      return { result: await this.writePiecesOn(current, name, blob, firstIndex, replace, signal) };
    });
  }

  /**
   * Writes `blob` as the pieces of `name` from `firstIndex` on, on top of `current` (replacing the whole attachment
   * when `replace`, else the pieces from `firstIndex`), in writes of at most WRITE_BYTES. Resolves to the new size.
   * The first write carries `current._rev`, so a conflict there means nothing was written.
   */
  private async writePiecesOn(current: CouchDoc, name: string, blob: Blob, firstIndex: number, replace: boolean, signal: AbortSignal | undefined): Promise<number> {
    let attachments: Record<string, CouchAttachment> = replace ? otherAttachments(current, name) : dropPiecesFrom(current, name, firstIndex);
    let rev = current._rev!;
    const count = Math.max(1, Math.ceil(blob.size / PIECE_SIZE));
    for (let index = 0; index < count; ) {
      let bytes = 0;
      for (; index < count && (bytes === 0 || bytes + PIECE_SIZE <= WRITE_BYTES); index += 1) {
        const piece = blob.slice(index * PIECE_SIZE, (index + 1) * PIECE_SIZE);
        attachments[pieceName(name, firstIndex + index)] = { content_type: blob.type || 'application/octet-stream', data: toBase64(new Uint8Array(await piece.arrayBuffer())) };
        bytes += piece.size || 1;
      }
      const first = rev === current._rev;
      try {
        rev = (await this.client.put({ ...current, _rev: rev, _attachments: attachments }, signalOf(signal))).rev;
      } catch (error) {
        // After the first write, part of the bytes is there: a retry from a fresh read would write them twice.
        if (first || !(error instanceof RemoteError) || error.status !== 409) throw error;
        throw new StorageError(409, `Document "${current._id}" was changed by another writer while attachment "${name}" was being written: write it again.`, { id: current._id, name });
      }
      // The next write sends only its own pieces, over the server's stubs of what is there now.
      if (index < count) attachments = await this.stubsAt(current._id, rev, signal);
    }
    return firstIndex * PIECE_SIZE + blob.size;
  }

  /** The server's own stubs of a revision (length and digest included), to write on top of it. */
  private async stubsAt(id: string, rev: string, signal: AbortSignal | undefined): Promise<Record<string, CouchAttachment>> {
    return (await this.client.get(id, { rev, ...signalOf(signal) }))._attachments ?? {};
  }
}

/** A document's JSON body without CouchDB's transport fields. */
export function bodyOf(doc: CouchDoc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));
}

/** A body to write: fields starting with '_' belong to CouchDB (see Doc), so a caller's are not sent. */
function withoutReserved(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));
}

/** The document's attachment stubs without `name` (whole, or all its pieces). */
function otherAttachments(doc: CouchDoc, name: string): Record<string, CouchAttachment> {
  return Object.fromEntries(Object.entries(doc._attachments ?? {}).filter(([key]) => key !== name && parsePieceName(key)?.attachment !== name));
}

/** The document's attachment stubs without the pieces of `name` from `firstIndex` on. */
function dropPiecesFrom(doc: CouchDoc, name: string, firstIndex: number): Record<string, CouchAttachment> {
  const pieces = groupPieces(Object.keys(doc._attachments ?? {})).get(name) ?? [];
  const dropped = new Set(pieces.filter((piece) => piece.index >= firstIndex).map((piece) => piece.name));
  return Object.fromEntries(Object.entries(doc._attachments ?? {}).filter(([key]) => !dropped.has(key)));
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
