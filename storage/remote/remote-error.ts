import { isStorageError } from '../storage-error';
import { maskCredentials } from './mask-credentials';

/**
 * A failure talking to a CouchDB-protocol server. `status` is the HTTP status, or 0 when the server could not be reached,
 * 502 when it answered something that is not the CouchDB protocol, 504 on timeout. `code` is CouchDB's `error` field
 * (`not_found`, `conflict`, `unauthorized`…) or one of `unreachable`, `bad_response`, `timeout`.
 * The message says what to do; a password in an address it names is masked.
 */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
  ) {
    super(maskCredentials(message));
  }

  /** True for failures worth retrying later (network, timeout, 5xx, garbage); false for 4xx answers. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** Builds the error for an HTTP answer, with a message a field engineer can act on. */
export function remoteErrorFor(status: number, code: string, reason: string | undefined, what: string): RemoteError {
  const detail = reason ? ` (${reason})` : '';
  switch (true) {
    case status === 401:
      return new RemoteError(status, code, `Sign in to the sync server: it needs a signed-in user for ${what}. On the Remotes page, press “Sign in” by this remote and enter the name and password${detail}.`, reason);
    case status === 403:
      return new RemoteError(status, code, `This account may not access ${what}: ask the server's administrator for access${detail}.`, reason);
    case status === 404:
      return new RemoteError(status, code, `${what} was not found on the server${detail}.`, reason);
    case status === 409:
      return new RemoteError(status, code, `${what} was changed on the server meanwhile: sync again to merge the changes${detail}.`, reason);
    case status === 412:
      return new RemoteError(status, code, `${what} already exists on the server${detail}.`, reason);
    case status === 413:
      return new RemoteError(status, code, `${what} is too large for the server: use smaller chunks${detail}.`, reason);
    case status >= 500:
      return new RemoteError(status, code, `The server failed (${status}) on ${what}: it will be retried; if it keeps failing, check the server${detail}.`, reason);
    default:
      return new RemoteError(status, code, `The server rejected ${what} (${status})${detail}.`, reason);
  }
}

/** Failures worth waiting out: the server unreachable, timing out or failing (5xx), not the document's content. */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof RemoteError) return error.transient;
  return isStorageError(error) && [500, 502, 503, 504].includes(error.status);
}
