import { StorageError } from './storage-error';
import type { Doc } from './types';

/** Rejects an aborted call with the signal's reason, before it changes anything. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Document ids and attachment names are non-empty strings. */
export function checkId(id: unknown, what = 'Document id'): asserts id is string {
  if (typeof id !== 'string' || id === '') throw new StorageError(400, `${what} must be a non-empty string.`, { id });
}

/** A document body is a plain JSON object. */
export function checkDoc(doc: unknown): asserts doc is Doc {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new StorageError(400, 'A document must be a JSON object.', {});
  }
}

export function notFound(id: string, name?: string): StorageError {
  return name === undefined
    ? new StorageError(404, `No document "${id}".`, { id })
    : new StorageError(404, `Document "${id}" has no attachment "${name}".`, { id, name });
}

/**
 * A 409: the document is not at the version the caller worked from (another tab, the chain or a sync wrote it
 * meanwhile). Throw it from an `update` change to refuse the write; `message` says what to do.
 */
export function conflict(id: string, message: string): StorageError {
  return new StorageError(409, message, { id });
}

export function unsupported(storage: string, capability: string): StorageError {
  return new StorageError(501, `The ${storage} storage cannot ${capability}; wrap it in a storage that can (see storage/index.ts).`, {
    capability,
  });
}
