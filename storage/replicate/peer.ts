import type { Seq } from '../types';

export type { Seq };

/** An opaque version of a document on one side: equal versions mean unchanged content (a CouchDB `_rev`, a content hash). */
export type Version = string;


/** One attachment piece as a side describes it. */
export interface PeerPiece {
  /** Changes whenever the bytes change. */
  digest: string;
  length: number;
  contentType: string;
}

/** A document as one side has it now. */
export interface PeerDoc {
  id: string;
  /** Absent or deleted: `deleted` is true and `body` undefined. */
  deleted: boolean;
  /** '' when the document never existed on this side. */
  version: Version;
  /** The JSON content without transport fields (`_id`, `_rev`, `_attachments`…). */
  body?: Record<string, unknown>;
  /** Attachment pieces by wire name (`data#0`, `data#1`… for chunked attachments; see chunk-names.ts). */
  chunks: Record<string, PeerPiece>;
}

export interface PeerChange {
  id: string;
  seq: Seq;
  /** The version this change made, when the feed tells (CouchDB: the winning `_rev`): lets echoes be skipped unread. */
  version?: Version;
}

/** A write: put `body` (or delete when null) if the side is still at `expected` ('' = must not exist or be deleted). */
export interface PeerWrite {
  id: string;
  expected: Version;
  body: Record<string, unknown> | null;
  /** Chunks the side already has and must keep, with their digest there; others it has are dropped. */
  keepChunks: Record<string, string>;
}

/**
 * A write's outcome: done; a conflict (the side is not at `expected`); or refused by the side for this document alone
 * (CouchDB's validate_doc_update, permissions, a document too large), which the other documents of the batch do not
 * share.
 */
export type PeerWriteResult = { ok: true; version: Version } | { ok: false; conflict: true } | { ok: false; refused: Refusal };

/** Why a side refused one document: an HTTP-like status (401, 403, 400, 413…) and the side's own words. */
export interface Refusal {
  status: number;
  reason: string;
}

/**
 * One side of a replication, seen by the replicator: a changes feed, batched reads and conditional batched writes,
 * chunk transfer and checkpoints. CouchPeer speaks the CouchDB protocol; StoragePeer adapts any Fieldscope Storage.
 */
export interface ReplicationPeer {
  /** 'local' or 'remote': used in status and conflict messages. */
  readonly label: string;
  /** A stable identity (database URL, storage name) used to name checkpoints. */
  identity(options: { signal?: AbortSignal }): Promise<string>;
  /** Changes after `since` (undefined = from the start), at most `limit`, in order. */
  changes(since: Seq | undefined, limit: number, options: { signal?: AbortSignal }): Promise<{ changes: PeerChange[]; lastSeq: Seq | undefined }>;
  /** Current state of these documents (missing ones come back deleted with version ''). */
  read(ids: string[], options: { signal?: AbortSignal }): Promise<Map<string, PeerDoc>>;
  /** The body of an earlier version, when this side still has it (CouchDB keeps old revisions' bodies until compaction). */
  readVersion?(id: string, version: Version, options: { signal?: AbortSignal }): Promise<Record<string, unknown> | undefined>;
  /** Conditional writes, in one batch where the side allows it. */
  write(writes: PeerWrite[], options: { signal?: AbortSignal }): Promise<PeerWriteResult[]>;
  /** One chunk's bytes. */
  readChunk(id: string, name: string, options: { signal?: AbortSignal }): Promise<Blob>;
  /**
   * Stores chunks of one document, in order, on top of `version`; returns the new version. `all` lists every chunk the
   * document must end with (the written ones included), so a side that stores whole attachments can rebuild them.
   */
  writeChunks(
    id: string,
    version: Version,
    chunks: { name: string; contentType: string; read: () => Promise<Blob> }[],
    all: Record<string, PeerPiece>,
    options: { signal?: AbortSignal },
  ): Promise<Version>;
  /** A checkpoint this side keeps for a replication (not replicated itself). */
  readCheckpoint(key: string, options: { signal?: AbortSignal }): Promise<Seq | undefined>;
  writeCheckpoint(key: string, seq: Seq, options: { signal?: AbortSignal }): Promise<void>;
  /** Resolves when a change after `since` may be available (longpoll), or after `timeoutMs`. Optional. */
  waitForChange?(since: Seq | undefined, timeoutMs: number, options: { signal?: AbortSignal }): Promise<void>;
}
