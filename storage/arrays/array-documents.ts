import type { Storage } from '../types';
import { getDataArray, sampleCount, type DataArrayDocument } from './data-array';

/**
 * A lookup of Data Array documents for a stream of range reads: each document is read once, and again only when a
 * read goes past the samples it knows (a growing recording). `read` resolves to the storage with the document;
 * `forget` drops one (after this client appended to it).
 */
export function arrayDocuments(storage: () => Promise<Storage>): {
  read(id: string, end: number, signal: AbortSignal): Promise<[Storage, DataArrayDocument]>;
  forget(id: string): void;
} {
  const documents = new Map<string, DataArrayDocument>();
  const forget = (id: string): void => void documents.delete(id);
  const read = async (id: string, end: number, signal: AbortSignal): Promise<[Storage, DataArrayDocument]> => {
    const opened = await storage();
    let doc = documents.get(id);
    if (!doc || end > sampleCount(doc)) {
      doc = await getDataArray(opened, id, { signal });
      documents.set(id, doc);
    }
    return [opened, doc];
  };
  return { read, forget };
}
