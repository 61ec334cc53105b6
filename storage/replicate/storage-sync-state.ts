import { isStorageError } from '../storage-error';
import type { Doc, Storage } from '../types';
import type { Seq } from './peer';
import type { Signature, SyncConflict, SyncRefusal, SyncStateStore } from './sync-state';

/**
 * The replicator's memory kept in a storage of its own (IndexedDB in the app, so it survives reloads; never itself
 * replicated): one document per signature, checkpoint, open conflict, refused document and pinned document, under
 * prefixed ids.
 */
export class StorageSyncState implements SyncStateStore {
  constructor(private readonly storage: Storage) {}

  async getSignatures(ids: string[], { signal }: { signal?: AbortSignal }): Promise<Map<string, Signature>> {
    const found = new Map<string, Signature>();
    await Promise.all(
      ids.map(async (id) => {
        const doc = await this.read(`signature:${id}`, signal);
        if (doc) found.set(id, doc['signature'] as Signature);
      }),
    );
    return found;
  }

  async putSignatures(entries: [string, Signature | undefined][], { signal }: { signal?: AbortSignal }): Promise<void> {
    for (const [id, signature] of entries) {
      if (signature) await this.storage.put(`signature:${id}`, { signature }, signal ? { signal } : {});
      else await this.forget(`signature:${id}`, signal);
    }
  }

  async getCheckpoint(key: string, { signal }: { signal?: AbortSignal }): Promise<Seq | undefined> {
    return (await this.read(`checkpoint:${key}`, signal))?.['seq'] as Seq | undefined;
  }

  async putCheckpoint(key: string, seq: Seq, { signal }: { signal?: AbortSignal }): Promise<void> {
    await this.storage.put(`checkpoint:${key}`, { seq }, signal ? { signal } : {});
  }

  async listConflicts({ signal }: { signal?: AbortSignal }): Promise<SyncConflict[]> {
    return (await this.list('conflict:', signal)).map((doc) => doc['conflict'] as SyncConflict);
  }

  async putConflict(conflict: SyncConflict, { signal }: { signal?: AbortSignal }): Promise<void> {
    await this.storage.put(`conflict:${conflict.id}`, { conflict }, signal ? { signal } : {});
  }

  async removeConflict(id: string, { signal }: { signal?: AbortSignal }): Promise<void> {
    await this.forget(`conflict:${id}`, signal);
  }

  async listRefusals({ signal }: { signal?: AbortSignal }): Promise<SyncRefusal[]> {
    return (await this.list('refused:', signal)).map((doc) => doc['refusal'] as SyncRefusal);
  }

  async putRefusal(refusal: SyncRefusal, { signal }: { signal?: AbortSignal }): Promise<void> {
    await this.storage.put(`refused:${refusal.direction}:${refusal.id}`, { refusal }, signal ? { signal } : {});
  }

  async removeRefusal(id: string, direction: SyncRefusal['direction'], { signal }: { signal?: AbortSignal }): Promise<void> {
    await this.forget(`refused:${direction}:${id}`, signal);
  }

  async listPinned({ signal }: { signal?: AbortSignal }): Promise<Set<string>> {
    return new Set((await this.list('pinned:', signal)).map((doc) => doc['id'] as string));
  }

  async setPinned(id: string, pinned: boolean, { signal }: { signal?: AbortSignal }): Promise<void> {
    if (pinned) await this.storage.put(`pinned:${id}`, { id }, signal ? { signal } : {});
    else await this.forget(`pinned:${id}`, signal);
  }

  private async read(id: string, signal: AbortSignal | undefined): Promise<Doc | undefined> {
    try {
      return await this.storage.get(id, signal ? { signal } : {});
    } catch (error) {
      if (isStorageError(error, 404)) return undefined;
      throw error;
    }
  }

  private async forget(id: string, signal: AbortSignal | undefined): Promise<void> {
    await this.storage.remove(id, signal ? { signal } : {}).catch((error: unknown) => {
      if (!isStorageError(error, 404)) throw error;
    });
  }

  private async list(prefix: string, signal: AbortSignal | undefined): Promise<Doc[]> {
    const { rows } = await this.storage.allDocs({ include_docs: true, ...(signal ? { signal } : {}) });
    return rows.filter((row) => row.id.startsWith(prefix) && row.doc).map((row) => row.doc as Doc);
  }
}
