import { DATA_ATTACHMENT, type Storage } from '../../storage';
import type { SyncManager } from '../../storage/sync';

/**
 * Where a document's data is. 'here': on this device, no sync server. 'here-only': not on the sync server yet (its
 * next sync sends it). 'here-synced': on this device and the sync server, so it can be freed from here. 'server': on
 * the sync server only, read from it as it is viewed. 'kept': on the sync server, brought here by the next sync.
 */
export type DataLocation = 'here' | 'here-only' | 'here-synced' | 'server' | 'kept';

/**
 * Where the data of document `id` is, given the bytes it should have (from the document; 0: nothing to keep, 'here').
 * Data only partly here (a large synced array not kept offline) counts as on the server.
 */
export async function locateData(storage: Storage, sync: SyncManager, id: string, expectedBytes: number, signal: AbortSignal): Promise<DataLocation> {
  const here = (await storage.allAttachments(id, { signal }))[DATA_ATTACHMENT]?.length ?? 0;
  if (expectedBytes === 0) return 'here';
  if (here >= expectedBytes) {
    if ((await sync.remotes()).length === 0) return 'here';
    return (await sync.releasable(id)) ? 'here-synced' : 'here-only';
  }
  return (await sync.isPinned(id)) ? 'kept' : 'server';
}

/** A few words for a place where space is short (a dashboard card). */
export const shortLocation: Record<DataLocation, string> = {
  here: 'On this device',
  'here-only': 'On this device only (not synced yet)',
  'here-synced': 'On this device and the sync server',
  kept: 'On the sync server, kept offline next sync',
  server: 'On the sync server',
};
