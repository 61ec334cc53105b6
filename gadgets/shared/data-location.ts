import { DATA_ATTACHMENT, type Storage } from '../../storage';
import type { SyncManager } from '../../storage/sync';

/**
 * Where a document's data is. 'here': on this device, no sync server. 'here-only': not on the sync server yet (its
 * next sync sends it). 'here-synced': on this device and the sync server, so it can be freed from here. 'server': on
 * the sync server only, read from it as it is viewed. 'kept': on the sync server, brought here by the next sync.
 * 'arriving': part of it is here, the rest is still coming by sync (read from the server meanwhile).
 */
export type DataLocation = 'here' | 'here-only' | 'here-synced' | 'arriving' | 'server' | 'kept';

/**
 * Where the data of document `id` is, given the bytes it should have (from the document; 0: nothing to keep, 'here').
 * Also says how many of its bytes are here. Data partly here is 'arriving', never 'here'.
 */
export async function locateData(storage: Storage, sync: SyncManager, id: string, expectedBytes: number, signal: AbortSignal): Promise<{ location: DataLocation; hereBytes: number }> {
  const hereBytes = (await storage.allAttachments(id, { signal }))[DATA_ATTACHMENT]?.length ?? 0;
  const located = (location: DataLocation) => ({ location, hereBytes });
  if (expectedBytes === 0) return located('here');
  if (hereBytes >= expectedBytes) {
    if ((await sync.remotes()).length === 0) return located('here');
    return located((await sync.releasable(id)) ? 'here-synced' : 'here-only');
  }
  if (hereBytes > 0) return located('arriving'); // the document came, not all of its pieces yet
  return located((await sync.isPinned(id)) ? 'kept' : 'server');
}

/** A few words for a place where space is short (a dashboard card). */
export const shortLocation: Record<DataLocation, string> = {
  here: 'On this device',
  'here-only': 'On this device only (not synced yet)',
  'here-synced': 'On this device and the sync server',
  arriving: 'Arriving from the sync server',
  kept: 'On the sync server, kept offline next sync',
  server: 'On the sync server',
};
