import { chunkValue, joinChunk, type IncomingBytes } from './chunk-values';
import type { ChunkStore, ChunkWrite, ReadTransaction, StagedBytes, WriteTransaction } from './chunk-store';
import type { AttachmentRecord } from './database';

/**
 * Attachment bytes as IndexedDB chunks keyed [docId, name, index], written in the metadata transaction itself.
 * `chunkSize` is the size of chunks of attachments written whole from now on; appends keep the attachment's own.
 */
export class IndexedDBChunkStore implements ChunkStore {
  readonly kind = 'indexeddb';

  constructor(readonly chunkSize: number) {}

  async stage({ id, name, mode, incoming }: ChunkWrite): Promise<StagedBytes> {
    return {
      file: undefined,
      commit: (tx, meta) => (mode === 'put' ? putChunks(tx, id, name, incoming, 0, 0, this.chunkSize) : appendChunks(tx, id, name, incoming, meta)),
      abandon: async () => {}, // the transaction took its chunks with it
    };
  }

  async read(tx: ReadTransaction, meta: AttachmentRecord, start: number, end: number) {
    const first = Math.floor(start / meta.chunkSize);
    const last = Math.floor((end - 1) / meta.chunkSize);
    const values = await tx.objectStore('chunks').getAll(IDBKeyRange.bound([meta.docId, meta.name, first], [meta.docId, meta.name, last]));
    return { values, offset: first * meta.chunkSize };
  }
}

/** Only the last, partly filled chunk is rewritten; every earlier chunk stays untouched. */
async function appendChunks(tx: WriteTransaction, id: string, name: string, incoming: IncomingBytes, meta: AttachmentRecord): Promise<void> {
  const chunks = tx.objectStore('chunks');
  let index = Math.floor(meta.length / meta.chunkSize);
  let written = 0;
  const partial = meta.length % meta.chunkSize;
  if (partial > 0 && incoming.size > 0) {
    written = Math.min(meta.chunkSize - partial, incoming.size);
    await chunks.put(joinChunk(await chunks.get([id, name, index]), incoming, written), [id, name, index]);
    index += 1;
  }
  await putChunks(tx, id, name, incoming, written, index, meta.chunkSize);
}

/** Stores the incoming bytes from byte `from` on as chunks of `chunkSize`, from chunk number `firstIndex` on. */
async function putChunks(tx: WriteTransaction, id: string, name: string, incoming: IncomingBytes, from: number, firstIndex: number, chunkSize: number): Promise<void> {
  const chunks = tx.objectStore('chunks');
  for (let offset = from, index = firstIndex; offset < incoming.size; offset += chunkSize, index += 1) {
    await chunks.put(chunkValue(incoming, offset, Math.min(offset + chunkSize, incoming.size)), [id, name, index]);
  }
}
