import { parseQuery } from '../query/query-parser';
import { matchesQuery } from '../query/query-match';
import type { PeerChange, PeerDoc, ReplicationPeer, Seq } from './peer';

/**
 * The documents a device pulls from a remote (partial sync), in the app's query language, e.g.
 * `portal_type:("Data Stream" OR "Data Array")` (by module) or `experiment:="E-12"` (by experiment). Parsed once:
 * a malformed query throws StorageError 400 with the position.
 */
export interface SyncSubset {
  /** The query text; part of the checkpoint's name, so a new subset is pulled from the start. */
  query: string;
  matches(body: Record<string, unknown>): boolean;
}

export function syncSubset(query: string): SyncSubset {
  const node = parseQuery(query);
  return { query, matches: (body) => matchesQuery(node, body) };
}

/**
 * A remote seen through a subset: its changes feed lists only documents matching the subset (and removals, which the
 * replicator ignores for documents this device never had), so a tablet keeps only what it needs of a large database;
 * writes, reads and checkpoints go to the remote as they are, so the device's own documents are all pushed. The
 * subset is applied here, to the bodies of the changed documents (read once and handed to the replicator's read that
 * follows): the device transfers the metadata of changed documents, never the attachments of others. A document that
 * stops matching stays on the device as it last was. A feed batch is filled up to `limit` matches (reading on), so the
 * replicator's "short batch: the end" rule holds.
 */
export class FilteredPeer implements ReplicationPeer {
  private readonly read_: Map<string, PeerDoc> = new Map();

  constructor(
    private readonly inner: ReplicationPeer,
    readonly subset: SyncSubset,
  ) {}

  get label(): string {
    return this.inner.label;
  }

  async identity(options: { signal?: AbortSignal }): Promise<string> {
    return `${await this.inner.identity(options)} only ${this.subset.query}`;
  }

  async changes(since: Seq | undefined, limit: number, options: { signal?: AbortSignal }): Promise<{ changes: PeerChange[]; lastSeq: Seq | undefined }> {
    this.read_.clear();
    const kept: PeerChange[] = [];
    let position = since;
    for (;;) {
      const { changes, lastSeq } = await this.inner.changes(position, limit, options);
      if (changes.length === 0) return { changes: kept, lastSeq: position };
      const docs = await this.inner.read([...new Set(changes.map((change) => change.id))], options);
      for (const change of changes) {
        const doc = docs.get(change.id);
        if (!doc || doc.deleted || this.subset.matches(doc.body ?? {})) {
          kept.push(change);
          if (doc) this.read_.set(change.id, doc);
        }
      }
      position = lastSeq;
      if (kept.length >= limit || changes.length < limit) return { changes: kept, lastSeq: position };
    }
  }

  /** Served from the bodies just read for the feed when it can (the replicator reads the batch right after). */
  async read(ids: string[], options: { signal?: AbortSignal }): Promise<Map<string, PeerDoc>> {
    if (ids.length > 0 && ids.every((id) => this.read_.has(id))) {
      const docs = new Map(ids.map((id) => [id, this.read_.get(id)!]));
      this.read_.clear();
      return docs;
    }
    return this.inner.read(ids, options);
  }

  // Anything else the replicator does means the batch's read is over: the bodies kept for it are let go, so a later
  // read (a conflict check while pushing) always asks the remote.
  readVersion: ReplicationPeer['readVersion'] = (id, version, options) => this.forget(this.inner.readVersion?.(id, version, options) ?? Promise.resolve(undefined));
  write: ReplicationPeer['write'] = (writes, options) => this.forget(this.inner.write(writes, options));
  readChunk: ReplicationPeer['readChunk'] = (id, name, options) => this.forget(this.inner.readChunk(id, name, options));
  writeChunks: ReplicationPeer['writeChunks'] = (id, version, chunks, all, options) => this.forget(this.inner.writeChunks(id, version, chunks, all, options));
  readCheckpoint: ReplicationPeer['readCheckpoint'] = (key, options) => this.forget(this.inner.readCheckpoint(key, options));
  writeCheckpoint: ReplicationPeer['writeCheckpoint'] = (key, seq, options) => this.forget(this.inner.writeCheckpoint(key, seq, options));
  waitForChange: ReplicationPeer['waitForChange'] = (since, timeoutMs, options) => this.forget(this.inner.waitForChange?.(since, timeoutMs, options) ?? Promise.resolve());

  private forget<T>(call: Promise<T>): Promise<T> {
    this.read_.clear();
    return call;
  }
}
