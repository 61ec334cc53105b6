import type { CouchClient } from '../../storage/remote/couch-client';
import { RemoteError } from '../../storage/remote/remote-error';

/** The design document holding the server workers' index of documents by their last step (made by `npm run worker`). */
export const STEP_INDEX_DESIGN = '_design/fieldscope-steps';

/**
 * Whether server workers run on this database: a worker makes its step index at start, so the index's presence says
 * one has run here (none may be running right now: heavy steps left to the server then wait for the next one).
 * Unreachable or unreadable: false, so a device offline keeps doing its own steps.
 */
export async function serverWorkersKnown(client: CouchClient, { signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
  try {
    await client.get(STEP_INDEX_DESIGN, signal ? { signal } : {});
    return true;
  } catch (error) {
    if (error instanceof RemoteError) return false;
    throw error;
  }
}
