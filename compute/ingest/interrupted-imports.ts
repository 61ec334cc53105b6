import type { Storage } from '../../storage';
import { IndexedDBStorage } from '../../storage/indexeddb/indexeddb-storage';

/**
 * The imports going on on this device, one entry per stream being imported, in a database of their own that is never
 * synced. An import killed mid-way (a closed tab, a crash, a reload) leaves its entry, and its stream 'importing' and
 * arrays 'writing' for good; the entry says it was this device's, so the next start cleans it up. The stream's status
 * alone cannot say: a stream another device is importing reaches this one by sync with the same status.
 */
export function openImportJournal(): Storage {
  return new IndexedDBStorage({ name: 'fieldscope-imports' });
}

/** The Web Lock an import holds while it runs: a cleanup in another tab waits for it instead of removing a live import. */
export function importLockName(streamId: string): string {
  return `fieldscope-import:${streamId}`;
}

/** Runs `work` holding the import's lock where the platform has Web Locks (Node has none; tests run one import at a time). */
export async function withImportLock<T>(streamId: string, work: () => Promise<T>): Promise<T> {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? await navigator.locks.request(importLockName(streamId), work) : await work();
}

/**
 * Removes what imports killed mid-way on this device left: the stream still 'importing' and the arrays made from it so
 * far. Nothing of such a file can be completed (only part of it was read), and the user still has it: removing
 * everything is what a failed import does too. Each waits for its import's lock, so one still running in another tab
 * is left to finish. Resolves to the titles of the files cleaned up.
 */
export async function cleanInterruptedImports(storage: Storage, journal: Storage): Promise<string[]> {
  const { rows } = await journal.allDocs();
  const cleaned = await Promise.all(rows.map(({ id }) => withImportLock(id, () => cleanImport(storage, journal, id))));
  return cleaned.filter((title): title is string => title !== undefined);
}

async function cleanImport(storage: Storage, journal: Storage, streamId: string): Promise<string | undefined> {
  const stream = await storage.get(streamId).catch(() => undefined);
  let title: string | undefined;
  if (stream?.['status'] === 'importing') {
    const { rows } = await storage.allDocs({ query: `portal_type:="Data Array" AND source:=${JSON.stringify(streamId)}` });
    for (const { id } of rows) await storage.remove(id);
    await storage.remove(streamId);
    title = String(stream['title'] ?? streamId);
  }
  await journal.remove(streamId).catch(() => undefined); // finished meanwhile, or already cleaned
  return title;
}
