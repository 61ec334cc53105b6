import type { Storage } from '../../storage';
import { readEnvelope, readRange, type DataArrayDocument, type Envelope, type NumericArray } from '../../storage/arrays';

/**
 * What statistics read from an array: its document, samples [start, end) (interleaved channels) and the pyramid's
 * envelope. A Data Array in a storage is one; a worker reads through its declaring page (see statistics-worker.ts),
 * and a calibrated signal can be another.
 */
export interface ArraySource {
  readonly doc: DataArrayDocument;
  read(start: number, end: number, signal?: AbortSignal): Promise<NumericArray>;
  envelope(start: number, end: number, width: number, signal?: AbortSignal): Promise<Envelope>;
}

/** An ArraySource over a Data Array in `storage` (ranges by chunk, the pyramid for envelopes). */
export function storageArraySource(storage: Storage, id: string, doc: DataArrayDocument): ArraySource {
  return {
    doc,
    read: async (start, end, signal) => (await readRange(storage, doc, id, start, end, signal ? { signal } : {})).data,
    envelope: (start, end, width, signal) => readEnvelope(storage, doc, id, start, end, width, signal ? { signal } : {}),
  };
}
