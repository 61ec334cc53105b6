import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { contentTypeOf } from '../../compute/ingest/import-file';
import type { CouchStorage } from '../../storage/remote/couch-storage';
import { sendFiles } from './file-source';
import { PosFile } from './pos-file';
import type { Send } from './send';
import { sendStream } from './stdin-source';
import { StreamAppender } from './stream-appender';

export interface IngestOptions {
  storage: CouchStorage;
  /** The Data Stream's id (and title when it is created). */
  stream: string;
  /** A file, a folder, or '-' for `stdin`. */
  input: string;
  stdin?: Readable;
  /** The position file. Default `./<stream>.pos`. */
  posFile?: string;
  /** Tells apart machines sending to one stream (source keys are `<id>:<inode>`, `<id>:stdin`). Default the host name. */
  sourceId?: string;
  contentType?: string;
  follow?: boolean;
  pollMs?: number;
  /** Most bytes per piece (default 4 MiB; ≤ 7 MiB so a piece and a part-filled last one fit one write). */
  pieceBytes?: number;
  bufferBytes?: number;
  flushMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  onRetry?: (error: Error, retryInMs: number) => void;
  onWarning?: (message: string) => void;
}

export interface IngestProgress {
  /** Bytes this run wrote to the stream. */
  sent: number;
  /** Bytes the server had already (confirmed before, not recorded locally): not sent again. */
  skipped: number;
  /** Bytes to send in all, when known (files, not following). */
  total?: number;
  /** Network failures waited out. */
  retries: number;
  /** The stream's size. */
  streamSize: number;
  seconds: number;
}

/**
 * Appends a growing file, a folder of files or a byte stream to a Data Stream on a CouchDB-protocol server, in pieces,
 * exactly once: see StreamAppender (the server side of "once") and PosFile (where each file is up to, locally). Marks
 * the stream `writing` meanwhile and `complete` when it ends (input ended, or `signal` aborted: a stop, not a failure).
 */
export async function runIngest(options: IngestOptions): Promise<IngestProgress> {
  const signal = options.signal ?? new AbortController().signal;
  const sourceId = options.sourceId ?? hostname();
  const maxPieceBytes = Math.min(options.pieceBytes ?? 4 * 1024 * 1024, 7 * 1024 * 1024);
  const appender = new StreamAppender(options.storage, options.stream, {
    contentType: options.contentType ?? (options.input === '-' ? 'application/octet-stream' : contentTypeOf(options.input)),
    ...(options.baseBackoffMs === undefined ? {} : { baseBackoffMs: options.baseBackoffMs }),
    ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    signal,
  });
  const started = Date.now();
  const progress: IngestProgress = { sent: 0, skipped: 0, retries: 0, streamSize: 0, seconds: 0 };
  const report = () => {
    Object.assign(progress, { retries: appender.retries, streamSize: appender.size, seconds: (Date.now() - started) / 1000 });
    options.onProgress?.({ ...progress });
  };
  const send: Send = async (source, at, bytes) => {
    const next = await appender.append(source, at, bytes);
    if (next === at + bytes.length) {
      // Written now, or found written already by an unrecorded earlier try: the size tells which is which overall.
      progress.sent += bytes.length;
    } else if (next > at) progress.skipped += next - at;
    report();
    return next;
  };
  const onServer = await appender.open(options.stream);
  const pieceBytes = (most: number) => appender.nextPieceBytes(most);
  const warn = options.onWarning ?? (() => undefined);
  try {
    if (options.input === '-') {
      const key = `${sourceId}:stdin`;
      await sendStream({ input: options.stdin ?? process.stdin, key, start: onServer[key] ?? 0, pieceBytes, maxPieceBytes, bufferBytes: options.bufferBytes ?? 64 * 1024 * 1024, flushMs: options.flushMs ?? 1000, signal }, send);
    } else {
      const pos = await PosFile.open(options.posFile ?? `${options.stream}.pos`);
      await sendFiles(
        { path: options.input, pos, onServer, sourceId, pieceBytes, maxPieceBytes, follow: options.follow ?? false, pollMs: options.pollMs ?? 1000, signal, onWarning: warn, onTotal: (total) => (progress.total = total) },
        send,
      );
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  await appender.close();
  report();
  return { ...progress };
}
