import { IndexedDBStorage } from './indexeddb/indexeddb-storage';
import { QueryStorage } from './query/query-storage';
import { UuidStorage } from './uuid/uuid-storage';
import type { Storage } from './types';
import { detectOpfs, type BytesStoreInUse } from './opfs/opfs-files';

export type { BytesStoreInUse };

/**
 * The app's own storage on this device: IndexedDB, with generated ids (post) and the query language on top; the
 * bytes of attachments (arrays, pyramids, streams) in the Origin Private File System where sync access handles work.
 * `name` is the IndexedDB database name; default 'fieldscope'.
 */
export function createLocalStorage(name = 'fieldscope'): Storage {
  const local = new IndexedDBStorage({ name });
  // At start: detect OPFS and sweep what a killed page left (files without a record, bytes past the committed length).
  void local.bytesStore().catch(() => {});
  return new QueryStorage(new UuidStorage(local));
}

/** Where the local storage of this context keeps new attachment bytes ('opfs' or 'indexeddb', with why), detected once. */
export async function bytesStoreInUse(): Promise<BytesStoreInUse> {
  return (await detectOpfs()).inUse;
}
