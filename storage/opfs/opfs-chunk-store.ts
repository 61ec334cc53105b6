import { throwIfAborted } from '../checks';
import { StorageError } from '../storage-error';
import type { IncomingBytes } from '../indexeddb/chunk-values';
import type { ChunkStore, ChunkWrite, StagedBytes } from '../indexeddb/chunk-store';
import type { AttachmentRecord } from '../indexeddb/database';
import type { OpfsFiles } from './opfs-files';

/** Bytes handed to the worker per message: bounds the copy held at once for a large in-memory write. */
const PIECE = 16 * 1024 * 1024;

/**
 * Attachment bytes as one Origin Private File System file per attachment (named afresh each time it is written whole,
 * so the old content stays whole until the new record is committed). Appends write after the committed length; a
 * crash before the commit leaves bytes past it, which the start-up sweep cuts off (sweep-orphan-files.ts).
 */
export class OpfsChunkStore implements ChunkStore {
  readonly kind = 'opfs';

  /** `dir`: the folder of this database's files. */
  constructor(
    readonly files: OpfsFiles,
    readonly dir: string,
  ) {}

  async stage({ mode, previous, incoming, handOver, signal }: ChunkWrite): Promise<StagedBytes> {
    const appendTo = mode === 'append' ? previous?.file : undefined;
    const file = appendTo ?? crypto.randomUUID();
    const at = appendTo ? (previous?.length ?? 0) : 0;
    const abandon = () => (appendTo ? this.files.truncate(this.dir, file, at) : this.files.remove(this.dir, [file])).catch(() => {});
    try {
      await this.writeIncoming(file, at, incoming, handOver === true, signal);
    } catch (error) {
      await abandon();
      throw error;
    }
    return {
      file,
      commit: async (_tx, meta: AttachmentRecord) => {
        // An append is only valid on the very bytes it was staged after (Web Locks order writers; this is the proof).
        if (mode === 'append' && (meta.file !== appendTo || meta.length !== at)) {
          throw new StorageError(409, `The attachment "${meta.name}" of "${meta.docId}" changed while bytes were appended to it: append again.`);
        }
      },
      abandon,
    };
  }

  async read(_tx: unknown, meta: AttachmentRecord, start: number, end: number) {
    const bytes = await this.files.read(this.dir, meta.file as string, start, end - start);
    if (bytes.byteLength < end - start) {
      throw new StorageError(500, `The file of attachment "${meta.name}" of "${meta.docId}" is shorter than its record says: run repair, then import it again.`);
    }
    return { values: [bytes], offset: start };
  }

  private async writeIncoming(file: string, at: number, incoming: IncomingBytes, handOver: boolean, signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(signal);
    const { source } = incoming;
    if (source instanceof Blob) {
      await this.files.write(this.dir, file, at, source); // read by the worker piece by piece
      throwIfAborted(signal);
      return;
    }
    if (handOver && source.byteOffset === 0 && source.byteLength === source.buffer.byteLength && source.buffer instanceof ArrayBuffer) {
      // Given up by the caller: the buffer goes to the worker as it is, with no copy (an import's batches of samples).
      await this.files.writeTransferring(this.dir, file, at, source as Uint8Array<ArrayBuffer>);
      throwIfAborted(signal);
      return;
    }
    if (incoming.size === 0) await this.files.write(this.dir, file, at, new Uint8Array(0)); // the file exists, empty
    for (let offset = 0; offset < incoming.size; offset += PIECE) {
      // A copy, handed over: the caller may reuse its buffer once the call resolves, and cloning a view would copy its whole buffer.
      await this.files.writeTransferring(this.dir, file, at + offset, source.slice(offset, Math.min(offset + PIECE, incoming.size)));
      throwIfAborted(signal);
    }
  }
}
