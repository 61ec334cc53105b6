/**
 * Web Locks ordering OPFS writers across this origin's contexts (the page, import and chain workers, other tabs):
 * every write holds its database's lock shared and its attachment's lock exclusively; the start-up sweep holds the
 * database's lock exclusively, so it never sees bytes that a write has staged but not yet committed.
 */
export function withAttachmentLock<T>(database: string, id: string, name: string, body: () => Promise<T>): Promise<T> {
  return locked(databaseLock(database), 'shared', () => locked(`${databaseLock(database)}:${JSON.stringify([id, name])}`, 'exclusive', body));
}

export function withDatabaseLock<T>(database: string, body: () => Promise<T>): Promise<T> {
  return locked(databaseLock(database), 'exclusive', body);
}

function databaseLock(database: string): string {
  return `fieldscope-bytes:${database}`;
}

function locked<T>(name: string, mode: LockMode, body: () => Promise<T>): Promise<T> {
  return navigator.locks.request(name, { mode }, body) as Promise<T>;
}
