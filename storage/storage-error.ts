/**
 * HTTP-like status of a storage failure:
 * 400 bad argument, 404 missing document or attachment, 409 conflict, 501 capability missing, 507 storage full.
 * Remote storages may also pass through 401/403 (credentials) and 5xx (server trouble).
 */
export type StorageStatus = 400 | 401 | 403 | 404 | 409 | 500 | 501 | 502 | 503 | 504 | 507;

/** The one error class every storage throws; `status` says what kind of failure, the message says what to do. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly status: StorageStatus;
  /** Machine-readable extras (the query text and error position for a 400 on a query, the id for a 404…). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: StorageStatus, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.details = details;
  }
}

/** True for a StorageError with that status (or any StorageError when `status` is omitted). */
export function isStorageError(error: unknown, status?: StorageStatus): error is StorageError {
  return error instanceof StorageError && (status === undefined || error.status === status);
}
