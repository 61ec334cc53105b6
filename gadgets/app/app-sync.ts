import type { SyncManager } from '../../storage/sync';
import { appStorage } from './app-storage';

let manager: Promise<SyncManager> | undefined;

/** The app's sync manager over the local storage, created on first use (its code loads lazily). */
export function appSync(): Promise<SyncManager> {
  manager ??= Promise.all([appStorage(), import('../../storage/sync')])
    .then(([storage, { SyncManager }]) => new SyncManager(storage))
    .catch((error: unknown) => {
      manager = undefined;
      throw error;
    });
  return manager;
}
