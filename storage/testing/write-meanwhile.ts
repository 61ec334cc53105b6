import { StorageWrapper } from '../storage-wrapper';
import type { CallOptions, Doc, DocChange, Storage } from '../types';

/**
 * For tests: a real storage on which, once armed, another writer (an autosave, the chain, a sync) writes a document
 * just as the next write to it arrives — after whatever the caller read or checked before, before its own write is
 * applied. A read-modify-write that is not one step loses that write; one made with `update` sees it.
 */
export class WriteMeanwhile extends StorageWrapper {
  private pending: { id: string; write: (storage: Storage) => Promise<unknown> } | undefined;

  /** The next put, update or remove of `id` first lets `write` run on the storage below. */
  arm(id: string, write: (storage: Storage) => Promise<unknown>): void {
    this.pending = { id, write };
  }

  /** Whether the armed write has run. */
  get done(): boolean {
    return this.pending === undefined;
  }

  override async put(id: string, doc: Doc, options?: CallOptions): Promise<string> {
    await this.interleave(id);
    return super.put(id, doc, options);
  }

  override async update(id: string, change: DocChange, options?: CallOptions): Promise<Doc | undefined> {
    await this.interleave(id);
    return super.update(id, change, options);
  }

  override async remove(id: string, options?: CallOptions): Promise<void> {
    await this.interleave(id);
    return super.remove(id, options);
  }

  private async interleave(id: string): Promise<void> {
    const pending = this.pending;
    if (pending?.id !== id) return;
    this.pending = undefined;
    await pending.write(this.sub);
  }
}
