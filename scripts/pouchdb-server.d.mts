/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;

/** Where the admin's name and password are kept, in the server's data folder. */
export const CREDENTIALS_FILE: string;

interface PouchServerOptions {
  port?: number;
  dataDir?: string;
  inMemory?: boolean;
  timeoutMs?: number;
  quiet?: boolean;
}

interface PouchServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A locked-down server: its admin, whether this start created it, and the file (mode 0600) that keeps it. */
export interface LockedPouchServer extends PouchServer {
  admin: { name: string; password: string };
  createdAdmin: boolean;
  credentialsFile: string;
}

/**
 * Starts pouchdb-server on 127.0.0.1 and waits until it answers. port 0/unset picks a free port; inMemory (default when no
 * dataDir) keeps nothing on disk; dataDir (default ./.data/pouchdb) persists databases. url ends with '/'.
 * Locked down unless `adminParty: true` (tests of the sync protocol only): an admin made at first start, a signed-in
 * user required, no CORS, only its own loopback Host.
 */
export function startPouchServer(options: PouchServerOptions & { adminParty: true }): Promise<PouchServer>;
export function startPouchServer(options?: PouchServerOptions & { adminParty?: false }): Promise<LockedPouchServer>;
