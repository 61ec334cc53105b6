import { bytesAs, readAs } from '../attachment-data';
import type { AttachmentData, AttachmentFormat, AttachmentInput } from '../types';

/**
 * What one stored chunk holds: its bytes (written since chunks became bytes) or a Blob (written before; still read).
 *
 * Why bytes: a Blob made in the page lives in the browser's blob registry until V8 collects its tiny wrapper, which it
 * has no reason to do soon. Chromium caps that registry (500 MiB off the record; on a profile on disk 2 GiB of memory
 * plus what free disk allows for paging, far less on Android), and a Blob that finds the registry full is "broken":
 * IndexedDB then fails the whole transaction with "Failed to write blobs (InvalidBlob)". Writing an array of several
 * hundred MB as Blob chunks depends on the garbage collector keeping up. Bytes are copied into the transaction and
 * freed with it, and they also read back 2–3× faster than Blobs (bench:storage).
 */
export type ChunkValue = ArrayBuffer | Blob;

/** An attachment's new bytes, ready to cut into chunks: in memory, or a large Blob read piece by piece. */
export interface IncomingBytes {
  source: Uint8Array | Blob;
  size: number;
  type: string;
}

const DEFAULT_TYPE = 'application/octet-stream';

/**
 * Blobs up to this size are read into memory before the write (a transaction cannot wait for a Blob read); larger ones
 * (a whole file put at once) are stored as Blob slices, as before, so that no write needs the whole file in memory.
 * File-backed Blobs take no room in the blob registry.
 */
export const IN_MEMORY_BLOB_LIMIT = 64 * 1024 * 1024;

/** Any attachment input as bytes with its type (`contentType`, else the Blob's own, else octet-stream / text). */
export async function incomingBytes(data: AttachmentInput, contentType?: string): Promise<IncomingBytes> {
  if (typeof data === 'string') {
    const source = new TextEncoder().encode(data);
    return { source, size: source.length, type: contentType ?? 'text/plain;charset=utf-8' };
  }
  if (data instanceof Blob) {
    const type = contentType ?? (data.type || DEFAULT_TYPE);
    const source = data.size <= IN_MEMORY_BLOB_LIMIT ? new Uint8Array(await data.arrayBuffer()) : data;
    return { source, size: data.size, type };
  }
  const source = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { source, size: source.length, type: contentType ?? DEFAULT_TYPE };
}

/** Bytes [start, end) of the incoming data as a chunk value (a copy: the caller's buffer may change after the call). */
export function chunkValue(incoming: IncomingBytes, start: number, end: number): ChunkValue {
  return incoming.source instanceof Blob ? incoming.source.slice(start, end) : incoming.source.slice(start, end).buffer;
}

/** A stored chunk followed by the first bytes of the incoming data: bytes when both are bytes. */
export function joinChunk(stored: ChunkValue | undefined, incoming: IncomingBytes, fillEnd: number): ChunkValue {
  const fill = chunkValue(incoming, 0, fillEnd);
  if (stored === undefined) return fill;
  if (stored instanceof Blob || fill instanceof Blob) return new Blob([stored, fill]); // data written before: kept as it was
  const joined = new Uint8Array(stored.byteLength + fill.byteLength);
  joined.set(new Uint8Array(stored));
  joined.set(new Uint8Array(fill), stored.byteLength);
  return joined.buffer;
}

export function chunkSize(value: ChunkValue): number {
  return value instanceof Blob ? value.size : value.byteLength;
}

/**
 * Bytes [start, end) of the attachment from its consecutive chunks `values`, the first starting at byte `offset`, in
 * the asked format. Chunks of bytes are copied straight into the result (one piece that is the whole range is the
 * result, as OPFS reads give it); only Blob chunks (or format 'blob') go through a Blob.
 */
export async function readChunks<F extends AttachmentFormat>(
  values: ChunkValue[],
  offset: number,
  start: number,
  end: number,
  type: string,
  format: F | undefined,
): Promise<AttachmentData<F>> {
  const wanted = format ?? 'blob';
  if (wanted === 'blob' || values.some((value) => value instanceof Blob)) {
    const blob = new Blob(values, { type }).slice(start - offset, end - offset, type);
    return readAs(blob, format);
  }
  const only = values.length === 1 ? (values[0] as ArrayBuffer) : undefined;
  if (only && offset === start && only.byteLength === end - start) return bytesAs(only, type, format); // an OPFS read: no copy
  const bytes = new Uint8Array(end - start);
  let at = offset;
  for (const value of values as ArrayBuffer[]) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + value.byteLength);
    if (to > from) bytes.set(new Uint8Array(value, from - at, to - from), from - start);
    at += value.byteLength;
  }
  return bytesAs(bytes.buffer, type, format);
}
