import type { Seq, Version } from './peer';

/** What the replicator knew of a document at its last sync: the version on each side, and the chunks' digests. */
export interface Signature {
  local: Version;
  remote: Version;
  /** Per chunk name: [local digest, remote digest]. */
  chunks?: Record<string, [string, string]>;
}

/** A document changed on both sides since the last sync, kept until someone chooses. */
export interface SyncConflict {
  id: string;
  local: { version: Version; deleted: boolean; body?: Record<string, unknown> };
  remote: { version: Version; deleted: boolean; body?: Record<string, unknown> };
  /** ISO time it was (last) detected. */
  detected: string;
}

/**
 * A document one side refused (a 403 from a validate_doc_update, for instance): skipped so the others go on, listed
 * for the user, and tried again at every sync until it goes (or the user changes it, which sends it anyway).
 */
export interface SyncRefusal {
  id: string;
  /** 'push' when the remote refused it, 'pull' when this device did. */
  direction: 'push' | 'pull';
  status: number;
  reason: string;
  /** ISO time of the last refusal. */
  detected: string;
}

/**
 * The replicator's own persistent memory: signatures, checkpoints, open conflicts, refused documents, pinned documents.
 * It must survive restarts (IndexedDB in the app) and is never replicated.
 */
export interface SyncStateStore {
  getSignatures(ids: string[], options: { signal?: AbortSignal }): Promise<Map<string, Signature>>;
  /** Writes (or, with `undefined`, forgets) signatures in one go. */
  putSignatures(entries: [string, Signature | undefined][], options: { signal?: AbortSignal }): Promise<void>;
  getCheckpoint(key: string, options: { signal?: AbortSignal }): Promise<Seq | undefined>;
  putCheckpoint(key: string, seq: Seq, options: { signal?: AbortSignal }): Promise<void>;
  listConflicts(options: { signal?: AbortSignal }): Promise<SyncConflict[]>;
  putConflict(conflict: SyncConflict, options: { signal?: AbortSignal }): Promise<void>;
  removeConflict(id: string, options: { signal?: AbortSignal }): Promise<void>;
  listRefusals(options: { signal?: AbortSignal }): Promise<SyncRefusal[]>;
  putRefusal(refusal: SyncRefusal, options: { signal?: AbortSignal }): Promise<void>;
  removeRefusal(id: string, direction: SyncRefusal['direction'], options: { signal?: AbortSignal }): Promise<void>;
  /** Ids whose chunks are kept on this device ("pin for offline"). */
  listPinned(options: { signal?: AbortSignal }): Promise<Set<string>>;
  setPinned(id: string, pinned: boolean, options: { signal?: AbortSignal }): Promise<void>;
}

/** Keeps the state in memory (tests, benches, throwaway replications). */
export class MemorySyncState implements SyncStateStore {
  private readonly signatures = new Map<string, Signature>();
  private readonly checkpoints = new Map<string, Seq>();
  private readonly conflicts = new Map<string, SyncConflict>();
  private readonly refusals = new Map<string, SyncRefusal>();
  private readonly pinned = new Set<string>();

  async getSignatures(ids: string[]): Promise<Map<string, Signature>> {
    const found = new Map<string, Signature>();
    for (const id of ids) {
      const signature = this.signatures.get(id);
      if (signature) found.set(id, structuredClone(signature));
    }
    return found;
  }
  async putSignatures(entries: [string, Signature | undefined][]): Promise<void> {
    for (const [id, signature] of entries) {
      if (signature) this.signatures.set(id, structuredClone(signature));
      else this.signatures.delete(id);
    }
  }
  async getCheckpoint(key: string): Promise<Seq | undefined> {
    return this.checkpoints.get(key);
  }
  async putCheckpoint(key: string, seq: Seq): Promise<void> {
    this.checkpoints.set(key, seq);
  }
  async listConflicts(): Promise<SyncConflict[]> {
    return [...this.conflicts.values()].map((conflict) => structuredClone(conflict));
  }
  async putConflict(conflict: SyncConflict): Promise<void> {
    this.conflicts.set(conflict.id, structuredClone(conflict));
  }
  async removeConflict(id: string): Promise<void> {
    this.conflicts.delete(id);
  }
  async listRefusals(): Promise<SyncRefusal[]> {
    return [...this.refusals.values()].map((refusal) => structuredClone(refusal));
  }
  async putRefusal(refusal: SyncRefusal): Promise<void> {
    this.refusals.set(`${refusal.direction}:${refusal.id}`, structuredClone(refusal));
  }
  async removeRefusal(id: string, direction: SyncRefusal['direction']): Promise<void> {
    this.refusals.delete(`${direction}:${id}`);
  }
  async listPinned(): Promise<Set<string>> {
    return new Set(this.pinned);
  }
  async setPinned(id: string, pinned: boolean): Promise<void> {
    if (pinned) this.pinned.add(id);
    else this.pinned.delete(id);
  }
}
