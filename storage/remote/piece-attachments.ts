import { readAs } from '../attachment-data';
import { notFound, throwIfAborted } from '../checks';
import { StorageError, type StorageStatus } from '../storage-error';
import { groupPieces, parsePieceName, PIECE_SIZE, pieceName } from './pieces';
import type { AttachmentData, AttachmentFormat, AttachmentInfo } from '../types';
import type { CouchClient, CouchDoc } from './couch-client';
import { RemoteError } from './remote-error';

/** The attachments a CouchDB document holds, pieces (`data#0`, `data#1`…) joined into the attachment they belong to. */
export function attachmentsOf(doc: CouchDoc): Record<string, AttachmentInfo> {
  const stored = doc._attachments ?? {};
  const infos: Record<string, AttachmentInfo> = {};
  for (const [attachment, group] of groupPieces(Object.keys(stored))) {
    const parts = group.map((piece) => stored[piece.name]!);
    infos[attachment] = {
      length: parts.reduce((sum, part) => sum + (part.length ?? 0), 0),
      contentType: parts[0]?.content_type ?? 'application/octet-stream',
      // Any piece changing changes the attachment's digest (cached blocks are keyed by it).
      digest: parts.map((part) => part.digest ?? '').join(','),
    };
  }
  for (const [name, attachment] of Object.entries(stored)) {
    if (parsePieceName(name)) continue;
    infos[name] = { length: attachment.length ?? 0, contentType: attachment.content_type, ...(attachment.digest ? { digest: attachment.digest } : {}) };
  }
  return infos;
}

/**
 * Bytes [start, end) of an attachment of `doc` (its revision), fetching only the pieces that cover them; an attachment
 * written whole by another client is read whole and cut. `range` must already be checked against the size.
 */
export async function readPieces<F extends AttachmentFormat>(
  client: CouchClient,
  doc: CouchDoc,
  name: string,
  info: AttachmentInfo,
  range: { start: number; end: number },
  format: F | undefined,
  signal: AbortSignal | undefined,
): Promise<AttachmentData<F>> {
  const id = doc._id;
  const options = { rev: doc._rev!, ...(signal ? { signal } : {}) };
  if (!doc._attachments?.[pieceName(name, 0)]) {
    const whole = await callRemote(() => client.getAttachment(id, name, options), id, name, signal);
    return readAs(whole.slice(range.start, range.end, info.contentType), format);
  }
  const parts: Blob[] = [];
  const first = Math.floor(range.start / PIECE_SIZE);
  for (let index = first; index * PIECE_SIZE < range.end; index += 1) {
    parts.push(await callRemote(() => client.getAttachment(id, pieceName(name, index), options), id, name, signal));
  }
  const offset = first * PIECE_SIZE;
  return readAs(new Blob(parts, { type: info.contentType }).slice(range.start - offset, range.end - offset, info.contentType), format);
}

/**
 * Runs a request to the server; its failures become StorageErrors (404 stays 404, 409 stays 409, so layers above can
 * fall back or retry; unreachable is 503). An aborted call rejects with the abort reason.
 */
export async function callRemote<T>(request: () => Promise<T>, id: string, name: string | undefined, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throwIfAborted(signal);
    if (!(error instanceof RemoteError)) throw error;
    if (error.status === 404) throw notFound(id, name);
    const status: StorageStatus = error.status === 0 ? 503 : ([400, 401, 403, 409, 500, 502, 503, 504] as const).find((known) => known === error.status) ?? 502;
    throw new StorageError(status, error.message, { id, status: error.status }, { cause: error });
  }
}
