/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;

/**
 * Starts pouchdb-server on 127.0.0.1 and waits until it answers. port 0/unset picks a free port; inMemory (default when no
 * dataDir) keeps nothing on disk; dataDir (default ./.data/pouchdb) persists databases. url ends with '/'.
 */
export function startPouchServer(options?: {
  port?: number;
  dataDir?: string;
  inMemory?: boolean;
  timeoutMs?: number;
  quiet?: boolean;
}): Promise<{ url: string; port: number; stop(): Promise<void> }>;
