import type { IDBPDatabase } from 'idb';
import type { FieldscopeDB } from '../indexeddb/database';
import { withDatabaseLock } from './bytes-locks';
import type { OpfsFiles } from './opfs-files';

export interface SweepResult {
  /** Files no attachment record points at (a write whose metadata never committed, a replaced or removed attachment). */
  removed: string[];
  /** Files cut back to their record's length (an append whose metadata never committed). */
  truncated: string[];
}

/**
 * Makes the database's folder match its attachment records: removes unreferenced files and cuts bytes beyond the
 * committed length. Holds the database's bytes lock exclusively: no write is between staging and commit meanwhile.
 */
export function sweepOrphanFiles(db: IDBPDatabase<FieldscopeDB>, files: OpfsFiles, dir: string, database: string): Promise<SweepResult> {
  return withDatabaseLock(database, async () => {
    const lengths = new Map<string, number>();
    for (const meta of await db.getAll('attachments')) if (meta.file) lengths.set(meta.file, meta.length);
    const removed: string[] = [];
    const truncated: string[] = [];
    for (const { file, size } of await files.list(dir)) {
      const length = lengths.get(file);
      if (length === undefined) removed.push(file);
      else if (size > length) {
        await files.truncate(dir, file, length);
        truncated.push(file);
      }
    }
    await files.remove(dir, removed);
    return { removed, truncated };
  });
}
