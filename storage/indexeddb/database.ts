import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Doc } from '../types';
import type { ChunkValue } from './chunk-values';

/** A stored document with the fields its indexes read. */
export interface DocumentRecord {
  id: string;
  doc: Doc;
}

/** What is known of one attachment; its bytes are in `chunks`, or in an OPFS file when `file` is set. */
export interface AttachmentRecord {
  docId: string;
  name: string;
  length: number;
  contentType: string;
  /** Bytes per chunk when it was written (every chunk but the last is full). */
  chunkSize: number;
  /** Increases with every write of the attachment (sync uses it as a cheap digest). */
  revision: number;
  /** Made anew when the attachment is written whole, kept by appends (see AttachmentInfo.appendBase). */
  appendBase?: string;
  /** The Origin Private File System file holding the bytes (storage/opfs); absent: IndexedDB chunks. */
  file?: string | undefined;
}

export interface ChangeRecord {
  seq?: number;
  id: string;
  deleted: boolean;
}

/** Document properties with an index: queries comparing them with `=` read the index instead of every document. */
export const INDEXED_KEYS = ['portal_type', 'reference'] as const;

export interface FieldscopeDB extends DBSchema {
  documents: { key: string; value: DocumentRecord; indexes: Record<(typeof INDEXED_KEYS)[number], string> };
  /** Key [docId, name]. */
  attachments: { key: [string, string]; value: AttachmentRecord };
  /** Key [docId, name, chunkIndex]: arrays compare element by element, so no two attachments' chunks can collide. */
  chunks: { key: [string, string, number]; value: ChunkValue };
  /** One record per document, at its latest change; `seq` grows forever (auto-increment survives deletions). */
  changes: { key: number; value: ChangeRecord; indexes: { id: string } };
}

const VERSION = 1;
const connections = new Map<string, Promise<IDBPDatabase<FieldscopeDB>>>();

/**
 * The one connection per database name, opened on first use. The upgrade function is the only place the schema is
 * defined; each version's step runs once, in order. When another tab upgrades, this connection closes and the next call
 * opens a fresh one.
 */
export function openDatabase(name: string): Promise<IDBPDatabase<FieldscopeDB>> {
  let connection = connections.get(name);
  if (!connection) {
    connection = openDB<FieldscopeDB>(name, VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          const documents = db.createObjectStore('documents', { keyPath: 'id' });
          for (const key of INDEXED_KEYS) documents.createIndex(key, `doc.${key}`);
          db.createObjectStore('attachments', { keyPath: ['docId', 'name'] });
          db.createObjectStore('chunks');
          db.createObjectStore('changes', { keyPath: 'seq', autoIncrement: true }).createIndex('id', 'id', { unique: true });
        }
      },
      blocking() {
        void connection?.then((db) => db.close());
        connections.delete(name);
      },
      terminated() {
        connections.delete(name);
      },
    });
    connections.set(name, connection);
    connection.catch(() => connections.delete(name));
  }
  return connection;
}

/** Closes and forgets the connection (tests deleting the database, the app on sign-out). */
export async function closeDatabase(name: string): Promise<void> {
  const connection = connections.get(name);
  connections.delete(name);
  if (connection) (await connection).close();
}
