import { IndexedDBStorage } from './indexeddb/indexeddb-storage';
import { QueryStorage } from './query/query-storage';
import { UuidStorage } from './uuid/uuid-storage';
import type { Storage } from './types';

/**
 * The app's own storage on this device: IndexedDB, with generated ids (post) and the query language on top.
 * `name` is the IndexedDB database name; default 'fieldscope'.
 */
export function createLocalStorage(name = 'fieldscope'): Storage {
  return new QueryStorage(new UuidStorage(new IndexedDBStorage({ name })));
}
