import { firstValueFrom, take, toArray } from 'rxjs';
import { conflict } from '../checks';
import { isStorageError } from '../storage-error';
import type { AttachmentInfo, Doc, Storage } from '../types';
import { groupPieces, parsePieceName, PIECE_SIZE, pieceCount, pieceName } from '../remote/pieces';
import { canonicalJson, hashString } from './hash';
import { type PeerPiece, type PeerDoc, type PeerWrite, type PeerWriteResult, type ReplicationPeer, type Seq, type Version } from './peer';

/**
 * The replicator's view of any Fieldscope storage (IndexedDB on the device, memory in tests). A document's version is
 * a hash of its body and of its attachments' digests; attachments travel as PIECE_SIZE pieces read by range (never a
 * whole array in memory), and pieces arriving at the end of an attachment are appended.
 * Writes are compare-and-set against the version the replicator expects, checked and written in one `update`: an edit
 * saved on this device while a sync runs is never overwritten, it makes a conflict instead.
 */
export class StoragePeer implements ReplicationPeer {
  readonly label: string;
  private readonly name: string;
  /** Checkpoints kept by this side when it is the replication's "remote" (e.g. memory ↔ IndexedDB). */
  private readonly checkpoints = new Map<string, Seq>();

  constructor(
    private readonly storage: Storage,
    { label = 'local', name = 'fieldscope' }: { label?: string; name?: string } = {},
  ) {
    this.label = label;
    this.name = name;
  }

  async identity(): Promise<string> {
    return `storage:${this.name}`;
  }

  async changes(since: Seq | undefined, limit: number, { signal }: { signal?: AbortSignal }): Promise<{ changes: { id: string; seq: Seq }[]; lastSeq: Seq | undefined }> {
    signal?.throwIfAborted();
    const changes = await firstValueFrom(this.storage.changes(since === undefined ? {} : { since }).pipe(take(limit), toArray()));
    return { changes: changes.map(({ id, seq }) => ({ id, seq })), lastSeq: changes.at(-1)?.seq ?? since };
  }

  async read(ids: string[], { signal }: { signal?: AbortSignal }): Promise<Map<string, PeerDoc>> {
    const docs = await Promise.all(ids.map((id) => this.readOne(id, signal)));
    return new Map(docs.map((doc) => [doc.id, doc]));
  }

  async write(writes: PeerWrite[], { signal }: { signal?: AbortSignal }): Promise<PeerWriteResult[]> {
    const results: PeerWriteResult[] = [];
    const options = signal ? { signal } : {};
    for (const write of writes) {
      // Attachments none of whose pieces are kept are gone on the other side.
      const keep = Object.keys(write.keepChunks);
      const kept = new Set([...groupPieces(keep).keys(), ...keep.filter((name) => !parsePieceName(name))]);
      let written: { version: Version; dropped: string[] } = { version: '', dropped: [] };
      try {
        await this.storage.update(
          write.id,
          (current, attachments) => {
            if (versionOf(current, attachments) !== write.expected) {
              throw conflict(write.id, `“${write.id}” changed on this device while it was being synced: the next sync compares it again.`);
            }
            if (write.body === null) return current === undefined ? undefined : null;
            const staying = Object.fromEntries(Object.entries(attachments).filter(([name]) => kept.has(name)));
            written = { version: versionOf(write.body, staying), dropped: Object.keys(attachments).filter((name) => !kept.has(name)) };
            return write.body;
          },
          options,
        );
      } catch (error) {
        if (!isStorageError(error, 409)) throw error;
        results.push({ ok: false, conflict: true });
        continue;
      }
      // The version was computed with these gone; a write landing before they are removed changes the version read
      // next time, so it is compared again rather than taken for synced.
      for (const attachment of written.dropped) await this.storage.removeAttachment(write.id, attachment, options);
      results.push({ ok: true, version: written.version });
    }
    return results;
  }

  async readChunk(id: string, name: string, { signal }: { signal?: AbortSignal }): Promise<Blob> {
    const piece = parsePieceName(name);
    const options = signal ? { signal } : {};
    if (!piece) return this.storage.getAttachment(id, name, options);
    return this.storage.getAttachment(id, piece.attachment, { start: piece.index * PIECE_SIZE, end: (piece.index + 1) * PIECE_SIZE, ...options });
  }

  async writeChunks(
    id: string,
    version: Version,
    chunks: { name: string; contentType: string; read: () => Promise<Blob> }[],
    all: Record<string, PeerPiece>,
    { signal }: { signal?: AbortSignal },
  ): Promise<Version> {
    const options = signal ? { signal } : {};
    const current = await this.readOne(id, signal);
    if (current.version !== version) throw new Error(`${id} changed on this device during the sync: sync again.`);
    const existing = await this.storage.allAttachments(id, options);
    const changed = new Map(chunks.map((chunk) => [chunk.name, chunk]));
    for (const chunk of chunks.filter((candidate) => !parsePieceName(candidate.name))) {
      await this.storage.putAttachment(id, chunk.name, await chunk.read(), { contentType: chunk.contentType, ...options });
    }
    for (const [attachment, pieces] of groupPieces(Object.keys(all))) {
      const incoming = pieces.filter((piece) => changed.has(piece.name));
      if (incoming.length === 0) continue;
      const contentType = changed.get(incoming[0]!.name)!.contentType;
      const firstChanged = incoming[0]!.index;
      const size = existing[attachment]?.length ?? 0;
      const tailOnly = incoming.every((piece, at) => piece.index === firstChanged + at) && size === firstChanged * PIECE_SIZE && incoming.at(-1)!.index === pieces.at(-1)!.index;
      if (tailOnly) {
        // Only new pieces at the end (a growing stream or array): append them, one piece in memory at a time.
        if (firstChanged === 0 && existing[attachment]) await this.storage.removeAttachment(id, attachment, options);
        for (const piece of incoming) await this.storage.appendAttachment(id, attachment, await changed.get(piece.name)!.read(), { contentType, ...options });
        continue;
      }
      // Pieces changed in the middle: rebuild the attachment from unchanged local pieces and the new ones.
      const parts: Blob[] = [];
      for (const piece of pieces) {
        const fresh = changed.get(piece.name);
        parts.push(fresh ? await fresh.read() : await this.readChunk(id, piece.name, { ...(signal ? { signal } : {}) }));
      }
      await this.storage.putAttachment(id, attachment, new Blob(parts, { type: contentType }), { contentType, ...options });
    }
    return (await this.readOne(id, signal)).version;
  }

  async readCheckpoint(key: string): Promise<Seq | undefined> {
    return this.checkpoints.get(key);
  }

  async writeCheckpoint(key: string, seq: Seq): Promise<void> {
    this.checkpoints.set(key, seq);
  }

  private async readOne(id: string, signal: AbortSignal | undefined): Promise<PeerDoc> {
    const options = signal ? { signal } : {};
    let body: Doc;
    try {
      body = await this.storage.get(id, options);
    } catch (error) {
      if (isStorageError(error, 404)) return { id, deleted: true, version: '', chunks: {} };
      throw error;
    }
    const attachments = await this.storage.allAttachments(id, options);
    const chunks: Record<string, PeerPiece> = {};
    for (const [name, info] of Object.entries(attachments)) {
      const count = pieceCount(info.length);
      for (let index = 0; index < count; index += 1) {
        const length = Math.max(0, Math.min(PIECE_SIZE, info.length - index * PIECE_SIZE));
        // While an attachment is only appended to (appendBase unchanged), a piece is known by its length: full pieces
        // keep their digest and only the tail travels. Otherwise any write marks every piece changed.
        const digest = info.appendBase !== undefined ? `${info.appendBase}:${length}:${index}` : `${info.digest ?? ''}:${info.length}:${index}`;
        chunks[pieceName(name, index)] = { digest, length, contentType: info.contentType };
      }
    }
    return { id, deleted: false, version: versionOf(body, attachments), body, chunks };
  }
}

/** A document's version on a storage: a hash of its body and its attachments' digests ('' when it does not exist). */
function versionOf(body: Doc | undefined, attachments: Readonly<Record<string, AttachmentInfo>>): Version {
  if (body === undefined) return '';
  const digests = Object.entries(attachments)
    .map(([name, info]) => `${name}=${info.digest ?? ''}:${info.length}`)
    .sort();
  return hashString(`${canonicalJson(body)}\n${digests.join('\n')}`);
}
