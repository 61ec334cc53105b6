import { randomHex, type CouchAttachment, type CouchClient, type CouchDoc } from '../remote/couch-client';
import { RemoteError } from '../remote/remote-error';
import { toBase64 } from '../remote/pieces';
import type { PeerChange, PeerPiece, PeerDoc, PeerWrite, PeerWriteResult, ReplicationPeer, Seq, Version } from './peer';

/** Bytes of pieces sent in one document write. */
const WRITE_BYTES = 8 * 1024 * 1024;

/** Longest document JSON (characters, up to 3 bytes each) sent in a multipart write: pouchdb-server refuses a JSON part over 2 MiB. */
const MULTIPART_JSON_CHARS = 600_000;

/** The replicator's view of a CouchDB-protocol database (CouchDB 3, Cloudant, pouchdb-server). Versions are `_rev`s. */
export class CouchPeer implements ReplicationPeer {
  readonly label: string;
  private readonly checkpointRevs = new Map<string, string>();

  constructor(
    readonly client: CouchClient,
    { label = 'remote' }: { label?: string } = {},
  ) {
    this.label = label;
  }

  async identity(): Promise<string> {
    return this.client.url;
  }

  async changes(since: Seq | undefined, limit: number, { signal }: { signal?: AbortSignal }): Promise<{ changes: PeerChange[]; lastSeq: Seq | undefined }> {
    const feed = await this.client.changes({ since: since ?? 0, limit, signal });
    return {
      changes: feed.results.map((row) => ({ id: row.id, seq: row.seq, ...(row.changes[0] ? { version: row.changes[0].rev } : {}) })),
      lastSeq: feed.results.length > 0 ? feed.last_seq : since,
    };
  }

  async read(ids: string[], { signal }: { signal?: AbortSignal }): Promise<Map<string, PeerDoc>> {
    const found = new Map<string, PeerDoc>();
    if (ids.length === 0) return found;
    const { rows } = await this.client.allDocs({ keys: ids, includeDocs: true, signal });
    for (const row of rows) {
      const id = row.key;
      if (row.doc) found.set(id, fromCouch(row.doc));
      else found.set(id, { id, deleted: true, version: row.value?.rev ?? '', chunks: {} });
    }
    for (const id of ids) if (!found.has(id)) found.set(id, { id, deleted: true, version: '', chunks: {} });
    return found;
  }

  async readVersion(id: string, version: Version, { signal }: { signal?: AbortSignal }): Promise<Record<string, unknown> | undefined> {
    if (!version) return undefined;
    try {
      return fromCouch(await this.client.get(id, { rev: version, signal })).body;
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return undefined; // compacted away
      throw error;
    }
  }

  async write(writes: PeerWrite[], { signal }: { signal?: AbortSignal }): Promise<PeerWriteResult[]> {
    const results: (PeerWriteResult | undefined)[] = writes.map(() => undefined);
    const docs: CouchDoc[] = [];
    const positions: number[] = [];
    const stubs = await this.currentStubs(writes, signal);
    writes.forEach((write, index) => {
      if (write.body === null && write.expected === '') {
        results[index] = { ok: true, version: '' }; // nothing to delete here
        return;
      }
      const doc: CouchDoc =
        write.body === null
          ? { _id: write.id, _rev: write.expected, _deleted: true }
          : { ...write.body, _id: write.id, ...(write.expected ? { _rev: write.expected } : {}) };
      const kept = Object.entries(write.keepChunks);
      if (write.body !== null && kept.length > 0) {
        // The server's own stubs (length, digest, revpos) — PouchDB keeps a stub's fields as given, so a bare one would
        // lose the piece's length; one the server no longer has is described as well as we can (the write then conflicts).
        const current = stubs.get(write.id) ?? {};
        doc._attachments = Object.fromEntries(kept.map(([name, digest]) => [name, current[name] ?? { stub: true, content_type: 'application/octet-stream', ...(digest ? { digest } : {}) }]));
      }
      docs.push(doc);
      positions.push(index);
    });
    if (docs.length > 0) {
      const answers = await this.client.bulkDocs(docs, { signal });
      answers.forEach((answer, at) => {
        const index = positions[at]!;
        if (answer.error === 'conflict') results[index] = { ok: false, conflict: true };
        else if (answer.error) results[index] = { ok: false, refused: { status: refusalStatus(answer.error), reason: answer.reason ?? answer.error } };
        else results[index] = { ok: true, version: answer.rev ?? '' };
      });
    }
    return results.map((result) => result ?? { ok: false, conflict: true });
  }

  /** The attachment stubs the server has now for the documents whose writes keep pieces (one request per batch). */
  private async currentStubs(writes: PeerWrite[], signal: AbortSignal | undefined): Promise<Map<string, Record<string, CouchAttachment>>> {
    const ids = writes.filter((write) => write.body !== null && Object.keys(write.keepChunks).length > 0).map((write) => write.id);
    const stubs = new Map<string, Record<string, CouchAttachment>>();
    if (ids.length === 0) return stubs;
    const { rows } = await this.client.allDocs({ keys: ids, includeDocs: true, signal });
    for (const row of rows) if (row.doc?._attachments) stubs.set(row.key, row.doc._attachments);
    return stubs;
  }

  readChunk(id: string, name: string, { signal }: { signal?: AbortSignal }): Promise<Blob> {
    return this.client.getAttachment(id, name, { signal });
  }

  async writeChunks(
    id: string,
    version: Version,
    chunks: { name: string; contentType: string; read: () => Promise<Blob> }[],
    _all: Record<string, PeerPiece>,
    { signal }: { signal?: AbortSignal },
  ): Promise<Version> {
    // Pieces go in document writes of up to WRITE_BYTES each (a revision per write rather than per piece, memory bounded
    // by one write), as binary multipart/related with revisions we name (new_edits=false): the server then neither
    // decodes base64 nor hashes the whole body for a revision id, about half its work per byte. Such writes are not
    // checked against concurrent edits, so the leaves are compared before and after, and a write that raced another is
    // taken back (see below).
    const before = await this.client.leaves(id, { signal });
    let current: CouchDoc | undefined = before.find((doc) => doc._rev === version);
    if (!current) throw changedMeanwhile(id);
    const others = new Set(before.map((doc) => doc._rev ?? '').filter((rev) => rev !== version));
    let rev = version;
    let group: { name: string; contentType: string; data: Blob }[] = [];
    let size = 0;
    const send = async () => {
      if (group.length === 0) return;
      current ??= await this.client.get(id, { rev, signal }); // body and stubs of what it keeps
      const attachments: Record<string, CouchAttachment> = { ...(current._attachments ?? {}) };
      if (group.every((piece) => multipartSafe(piece.name) && multipartSafe(piece.contentType)) && JSON.stringify(current).length < MULTIPART_JSON_CHARS) {
        const next = nextRev(rev);
        await this.client.putMultipart({ ...current, _attachments: attachments, ...next }, group, { newEdits: false, signal });
        rev = next._rev;
      } else {
        // Names pouchdb-server's multipart parser would mangle, or a body it would refuse: inline base64 instead.
        for (const piece of group) attachments[piece.name] = { content_type: piece.contentType, data: toBase64(new Uint8Array(await piece.data.arrayBuffer())) };
        rev = (await this.client.put({ ...current, _rev: rev, _attachments: attachments }, { signal })).rev;
      }
      current = undefined;
      group = [];
      size = 0;
    };
    for (const chunk of chunks) {
      const data = await chunk.read();
      group.push({ name: chunk.name, contentType: chunk.contentType, data });
      size += data.size;
      if (size >= WRITE_BYTES) await send();
    }
    await send();
    // Someone else wrote this document between our writes: their edit would lose to (or hide behind) ours as a
    // conflicting branch. Ours is deleted so theirs wins, and the sync fails to be run again (it then sees their edit).
    const after = (await this.client.leaves(id, { signal })).map((doc) => doc._rev ?? '');
    if (after.includes(rev) && after.every((leaf) => leaf === rev || others.has(leaf))) return rev;
    if (after.includes(rev)) await this.client.remove(id, rev, { signal }).catch(() => undefined);
    throw changedMeanwhile(id);
  }

  async readCheckpoint(key: string, { signal }: { signal?: AbortSignal }): Promise<Seq | undefined> {
    const doc = await this.client.getLocal<{ seq?: Seq }>(key, { signal });
    if (doc) this.checkpointRevs.set(key, doc._rev);
    return doc?.seq;
  }

  async writeCheckpoint(key: string, seq: Seq, { signal }: { signal?: AbortSignal }): Promise<void> {
    const id = `_local/${key}`;
    const rev = this.checkpointRevs.get(key);
    try {
      const answer = await this.client.put({ _id: id, ...(rev ? { _rev: rev } : {}), seq }, { signal });
      this.checkpointRevs.set(key, answer.rev);
    } catch (error) {
      if (!(error instanceof RemoteError) || error.status !== 409) throw error;
      await this.client.putLocal(key, { seq }, { signal }); // someone else moved it: write over it
      this.checkpointRevs.delete(key);
    }
  }

  async waitForChange(since: Seq | undefined, timeoutMs: number, { signal }: { signal?: AbortSignal }): Promise<void> {
    await this.client.changes({ since: since ?? 'now', limit: 1, feed: 'longpoll', timeout: timeoutMs, signal });
  }
}

/** The HTTP status CouchDB gives a per-document error of `_bulk_docs`. */
function refusalStatus(error: string): number {
  switch (error) {
    case 'forbidden':
      return 403;
    case 'unauthorized':
      return 401;
    case 'too_large':
      return 413;
    default:
      return 400;
  }
}

function changedMeanwhile(id: string): RemoteError {
  return new RemoteError(409, 'conflict', `Document ${id} was changed on the server during the sync: sync again to merge the changes.`);
}

/** The next revision on top of `rev`, named by us, with the history that links it to `rev` (for new_edits=false). */
function nextRev(rev: string): { _rev: string; _revisions: { start: number; ids: string[] } } {
  const dash = rev.indexOf('-');
  const start = Number(rev.slice(0, dash)) + 1;
  const id = randomHex(16);
  return { _rev: `${start}-${id}`, _revisions: { start, ids: [id, rev.slice(dash + 1)] } };
}

/** Whether a piece name or type survives a multipart header as pouchdb-server's parser reads it (quotes, `\\`, `%`, `&#` do not). */
function multipartSafe(text: string): boolean {
  return !/["\\%&\r\n]/.test(text);
}

/** A CouchDB document as the replicator sees it: plain body, attachments as pieces. */
export function fromCouch(doc: CouchDoc): PeerDoc {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_')) body[key] = value;
  const chunks: Record<string, PeerPiece> = {};
  for (const [name, attachment] of Object.entries(doc._attachments ?? {})) {
    chunks[name] = { digest: attachment.digest ?? '', length: attachment.length ?? 0, contentType: attachment.content_type };
  }
  return { id: doc._id, deleted: doc._deleted === true, version: doc._rev ?? '', body: doc._deleted ? undefined : body, chunks };
}

