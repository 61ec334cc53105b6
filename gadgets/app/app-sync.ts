import type { Storage } from '../../storage';
import type { SyncManager } from '../../storage/sync';
import { appStorage } from './app-storage';

let manager: Promise<SyncManager> | undefined;

/** The app's sync manager over the local storage, created on first use (its code loads lazily). */
export function appSync(): Promise<SyncManager> {
  manager ??= Promise.all([appStorage(), import('../../storage/sync'), import('../../compute/notebook/merge-notebook-versions'), import('../../compute/signals/merge-signal-versions')])
    .then(
      ([storage, { SyncManager }, { mergeNotebookVersions }, { mergeSignalVersions }]) =>
        // Each merge answers for its own type only (undefined for others).
        new SyncManager(storage, { merge: (base, local, remote) => mergeNotebookVersions(base, local, remote) ?? mergeSignalVersions(base, local, remote) }),
    )
    .catch((error: unknown) => {
      manager = undefined;
      throw error;
    });
  return manager;
}

let pageStorage: Promise<Storage> | undefined;

/**
 * The storage pages read and write: the device's own, with the data of arrays not kept here (large synced arrays,
 * see "Keep offline") read by range from the sync server through a cache.
 */
export function appPageStorage(): Promise<Storage> {
  pageStorage ??= Promise.all([appStorage(), appSync(), import('../../storage/sync')])
    .then(([local, manager, { RemoteFallbackStorage }]) => new RemoteFallbackStorage(local, manager.remoteReader))
    .catch((error: unknown) => {
      pageStorage = undefined;
      throw error;
    });
  return pageStorage;
}
