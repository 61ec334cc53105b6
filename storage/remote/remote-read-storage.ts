import { Observable } from 'rxjs';
import { checkRange, readAs } from '../attachment-data';
import { checkId, notFound, throwIfAborted, unsupported } from '../checks';
import { StorageError, type StorageStatus } from '../storage-error';
import { chunkName, groupChunks, parseChunkName } from '../replicate/chunk-names';
import { CHUNK_SIZE } from '../replicate/peer';
import type {
  AllDocsResult,
  AttachmentData,
  AttachmentFormat,
  AttachmentInfo,
  CallOptions,
  Capability,
  Change,
  Doc,
  GetAttachmentOptions,
  Storage,
} from '../types';
import type { CouchClient, CouchDoc } from './couch-client';
import { RemoteError } from './remote-error';

/**
 * A read-only Storage view of a CouchDB-protocol database as the replicator writes it: attachments stored as CHUNK_SIZE
 * pieces (`data#0`, `data#1`…) are seen whole, and a range read fetches only the pieces it covers — so an array that
 * is not kept on this device can be viewed from the server without downloading it (wrap this in a CacheStorage to
 * keep what was read). Attachments written whole by other clients are read whole and cut. Writes are 501: the
 * replicator is the one writer.
 */
export class RemoteReadStorage implements Storage {
  constructor(private readonly client: CouchClient) {}

  hasCapacity(name: Capability): boolean {
    return name === 'range';
  }

  async get(id: string, { signal }: CallOptions = {}): Promise<Doc> {
    const doc = await this.read(id, signal);
    return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));
  }

  async allAttachments(id: string, { signal }: CallOptions = {}): Promise<Record<string, AttachmentInfo>> {
    return attachmentsOf(await this.read(id, signal));
  }

  async getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    { start, end, format, signal }: GetAttachmentOptions<F> = {},
  ): Promise<AttachmentData<F>> {
    const doc = await this.read(id, signal);
    const info = attachmentsOf(doc)[name];
    if (!info) throw notFound(id, name);
    const range = checkRange(start, end, info.length);
    if (!doc._attachments?.[chunkName(name, 0)]) {
      const whole = await this.call(() => this.client.getAttachment(id, name, { rev: doc._rev!, signal }), id, name, signal);
      return readAs(whole.slice(range.start, range.end, info.contentType), format);
    }
    const parts: Blob[] = [];
    const first = Math.floor(range.start / CHUNK_SIZE);
    for (let index = first; index * CHUNK_SIZE < range.end; index += 1) {
      parts.push(await this.call(() => this.client.getAttachment(id, chunkName(name, index), { rev: doc._rev!, signal }), id, name, signal));
    }
    const offset = first * CHUNK_SIZE;
    return readAs(new Blob(parts, { type: info.contentType }).slice(range.start - offset, range.end - offset, info.contentType), format);
  }

  private async read(id: string, signal: AbortSignal | undefined): Promise<CouchDoc> {
    throwIfAborted(signal);
    checkId(id);
    const doc = await this.call(() => this.client.get(id, { signal }), id, undefined, signal);
    if (doc._deleted) throw notFound(id);
    return doc;
  }

  /** Server failures become StorageErrors (404 stays 404, so layers above can fall back). */
  private async call<T>(request: () => Promise<T>, id: string, name: string | undefined, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throwIfAborted(signal);
      if (!(error instanceof RemoteError)) throw error;
      if (error.status === 404) throw notFound(id, name);
      const status: StorageStatus = error.status === 0 ? 503 : ([401, 403, 500, 502, 503, 504] as const).find((known) => known === error.status) ?? 502;
      throw new StorageError(status, error.message, { id, status: error.status }, { cause: error });
    }
  }

  put(): Promise<string> {
    return Promise.reject(unsupported('remote view', 'write (the replicator writes to the server)'));
  }
  update(): Promise<Doc | undefined> {
    return Promise.reject(unsupported('remote view', 'write (the replicator writes to the server)'));
  }
  post(): Promise<string> {
    return this.put();
  }
  remove(): Promise<void> {
    return Promise.reject(unsupported('remote view', 'write (the replicator writes to the server)'));
  }
  putAttachment(): Promise<void> {
    return this.remove();
  }
  appendAttachment(): Promise<number> {
    return Promise.reject(unsupported('remote view', 'write (the replicator writes to the server)'));
  }
  removeAttachment(): Promise<void> {
    return this.remove();
  }
  allDocs(): Promise<AllDocsResult> {
    return Promise.reject(unsupported('remote view', 'list documents (sync them instead)'));
  }
  changes(): Observable<Change> {
    return new Observable((subscriber) => subscriber.error(unsupported('remote view', 'follow changes')));
  }
  async repair(): Promise<void> {}
}

/** The attachments a document holds, pieces joined into the attachment they belong to. */
function attachmentsOf(doc: CouchDoc): Record<string, AttachmentInfo> {
  const stored = doc._attachments ?? {};
  const infos: Record<string, AttachmentInfo> = {};
  for (const [attachment, group] of groupChunks(Object.keys(stored))) {
    const parts = group.map((piece) => stored[piece.name]!);
    infos[attachment] = {
      length: parts.reduce((sum, part) => sum + (part.length ?? 0), 0),
      contentType: parts[0]?.content_type ?? 'application/octet-stream',
      // Any piece changing changes the attachment's digest (cached blocks are keyed by it).
      digest: parts.map((part) => part.digest ?? '').join(','),
    };
  }
  for (const [name, attachment] of Object.entries(stored)) {
    if (parseChunkName(name)) continue;
    infos[name] = { length: attachment.length ?? 0, contentType: attachment.content_type, ...(attachment.digest ? { digest: attachment.digest } : {}) };
  }
  return infos;
}
