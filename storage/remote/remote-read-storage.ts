import { Observable } from 'rxjs';
import { checkRange } from '../attachment-data';
import { checkId, notFound, throwIfAborted, unsupported } from '../checks';
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
import { attachmentsOf, callRemote, readPieces } from './piece-attachments';

/**
 * A read-only Storage view of a CouchDB-protocol database as the replicator writes it: attachments stored as PIECE_SIZE
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
    return readPieces(this.client, doc, name, info, checkRange(start, end, info.length), format, signal);
  }

  private async read(id: string, signal: AbortSignal | undefined): Promise<CouchDoc> {
    throwIfAborted(signal);
    checkId(id);
    const doc = await callRemote(() => this.client.get(id, { ...(signal ? { signal } : {}) }), id, undefined, signal);
    if (doc._deleted) throw notFound(id);
    return doc;
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
