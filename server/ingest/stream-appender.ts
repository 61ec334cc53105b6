import { DATA_ATTACHMENT, type Doc } from '../../storage';
import type { CouchStorage } from '../../storage/remote/couch-storage';
import { PIECE_SIZE } from '../../storage/remote/pieces';
import { backoffMs, delay, isTransient } from '../backoff';

/** The Data Stream field recording, per source, how many of its bytes the stream holds (written with those bytes). */
export const INGESTED_FIELD = 'ingested';

export interface StreamAppenderOptions {
  /** Content type of a stream it creates (decides how the chain decodes it). Default application/octet-stream. */
  contentType?: string;
  /** First wait after a network failure, doubled each time up to `maxBackoffMs`. Defaults 200 ms and 30 s. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Failures in a row after which a write gives up (rejects). Default: never, it waits for the network. */
  maxRetries?: number;
  /** Called before each wait after a network failure. */
  onRetry?: (error: Error, retryInMs: number) => void;
  signal?: AbortSignal;
}

/**
 * Appends to one Data Stream on a CouchDB-protocol server, exactly once per byte whatever the network does. Each piece
 * is written in one document write together with the source's new offset in `ingested` (see CouchStorage
 * .appendAttachmentWith), and only when the stream's offset for that source is where the piece starts; so a piece whose
 * confirmation was lost and is sent again, or a restart from an older local position, writes nothing twice, and the
 * answer says where the source really is on the server. Network failures and 5xx are waited out with bounded
 * exponential backoff; other refusals (403, a full disk) reject.
 */
export class StreamAppender {
  /** The stream's size as last written or read. */
  size = 0;
  /** Network failures waited out so far. */
  retries = 0;
  private readonly signal: AbortSignal;

  constructor(
    private readonly storage: CouchStorage,
    readonly streamId: string,
    private readonly options: StreamAppenderOptions = {},
  ) {
    this.signal = options.signal ?? new AbortController().signal;
  }

  /**
   * Creates the stream when missing and marks it `writing` (the chain leaves a stream being written alone); resolves
   * to how far each source is on the server.
   */
  async open(title: string): Promise<Record<string, number>> {
    const now = new Date().toISOString();
    const doc = await this.withRetry(() =>
      this.storage.update(this.streamId, (current) =>
        current
          ? current['status'] === 'writing' ? undefined : { ...current, status: 'writing', modification_date: now }
          : { portal_type: 'Data Stream', title, reference: title, modification_date: now, content_type: this.options.contentType ?? 'application/octet-stream', status: 'writing', size: 0, [INGESTED_FIELD]: {} },
      ),
    );
    this.size = Number(doc?.['size'] ?? 0);
    return ingestedOf(doc ?? {});
  }

  /**
   * Sends bytes `at`… of `source`. Resolves to the source's offset on the server afterwards: `at + bytes.length` when
   * they were written (or had been already); another offset when the server is elsewhere (a piece confirmed but not
   * recorded locally, or a server restored from an older copy): the caller goes on from there.
   */
  async append(source: string, at: number, bytes: Uint8Array): Promise<number> {
    let offset = at;
    const end = at + bytes.length;
    const size = await this.withRetry(() =>
      this.storage.appendAttachmentWith(
        this.streamId,
        DATA_ATTACHMENT,
        bytes,
        (body, size) => {
          const ingested = ingestedOf(body);
          offset = ingested[source] ?? 0;
          if (offset !== at) return undefined;
          offset = end;
          return { ...body, [INGESTED_FIELD]: { ...ingested, [source]: end }, size: size + bytes.length, modification_date: new Date().toISOString() };
        },
        { contentType: 'application/octet-stream', signal: this.signal },
      ),
    );
    this.size = size;
    return offset;
  }

  /** Bytes to send next so the stream's end falls on a piece boundary (no part-filled piece rewritten), at most `most`. */
  nextPieceBytes(most: number): number {
    return most < PIECE_SIZE ? most : most - (this.size % PIECE_SIZE);
  }

  /** Marks the stream complete (the chain may decode it); a later ingest marks it writing again. */
  async close(): Promise<void> {
    const now = new Date().toISOString();
    await this.withRetry(() => this.storage.update(this.streamId, (current) => current && { ...current, status: 'complete', modification_date: now }));
  }

  private async withRetry<T>(write: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures += 1) {
      try {
        return await write();
      } catch (error) {
        this.signal.throwIfAborted();
        if (!isTransient(error) || failures >= (this.options.maxRetries ?? Infinity)) throw error;
        const wait = backoffMs(failures, this.options.baseBackoffMs ?? 200, this.options.maxBackoffMs ?? 30_000);
        this.retries += 1;
        this.options.onRetry?.(error as Error, wait);
        await delay(wait, this.signal);
        this.signal.throwIfAborted();
      }
    }
  }
}

/** The `ingested` offsets of a stream document (absent or malformed: none). */
export function ingestedOf(doc: Doc): Record<string, number> {
  const field = doc[INGESTED_FIELD];
  if (typeof field !== 'object' || field === null) return {};
  return Object.fromEntries(Object.entries(field).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}
