import { StorageError } from './storage-error';

/** Writes smaller than this skip the estimate (it costs a round trip to the browser; a full disk still fails the write). */
export const ESTIMATE_FROM = 1024 * 1024;
/** Kept free beyond the write itself: the metadata, the changes feed, the pyramid written beside an array. */
const MARGIN = 4 * 1024 * 1024;

/**
 * Refuses, before anything is written, a write of `bytes` that does not fit in what the browser grants this origin
 * (navigator.storage.estimate covers IndexedDB and the private file system together). 507 with what is needed,
 * what is free and what can be freed.
 */
export async function ensureSpace(bytes: number, estimate: SpaceEstimate | undefined = browserEstimate()): Promise<void> {
  if (bytes < ESTIMATE_FROM || !estimate) return;
  const { usage = 0, quota } = await estimate();
  if (quota === undefined) return;
  const free = Math.max(0, quota - usage);
  if (bytes + MARGIN <= free) return;
  throw new StorageError(
    507,
    `Not enough space on this device: this write needs ${megabytes(bytes + MARGIN)}, and ${megabytes(free)} of the ${megabytes(quota)} the browser allows Fieldscope is free. ` +
      'Nothing was written. Free space: use "Free space on this device" on arrays the server already has, or delete arrays and recordings you no longer need (Settings shows the usage), then try again.',
    { needed: bytes + MARGIN, free, quota, usage },
  );
}

/** How much the origin uses and may use (navigator.storage.estimate's answer). */
export type SpaceEstimate = () => Promise<StorageEstimate>;

function browserEstimate(): SpaceEstimate | undefined {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.estimate !== 'function') return undefined;
  return () => navigator.storage.estimate();
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}
