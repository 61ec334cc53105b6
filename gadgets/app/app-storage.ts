import type { Storage } from '../../storage';
import { messageOf } from '../shared/error-report';

let opened: Promise<Storage> | undefined;

/**
 * The app's local storage (IndexedDB, wrapped for queries and generated ids), opened on first use. Its code loads
 * lazily, so the shell's first paint does not wait for it. A failed open is not cached: the next call tries again.
 */
export function appStorage(): Promise<Storage> {
  opened ??= import('../../storage/local-storage')
    .then(({ createLocalStorage }) => createLocalStorage())
    .catch((error: unknown) => {
      opened = undefined;
      throw new Error(
        `The local database cannot be opened (${messageOf(error)}). Fieldscope keeps data in IndexedDB: ` +
          'leave private browsing or allow site data, then reload.',
        { cause: error },
      );
    });
  return opened;
}
