import { CouchClient } from '../remote/couch-client';
import { maskCredentials } from '../remote/mask-credentials';
import { RemoteError } from '../remote/remote-error';

export interface RemoteCheck {
  /** True when the database did not exist and was created. */
  created: boolean;
  /** The signed-in user, when credentials were given. */
  user?: string;
}

/**
 * Checks a remote before it is saved, step by step, each failure with its own message: the address answers like a
 * CouchDB server; the name and password are accepted (a session cookie is kept by the browser, the password nowhere);
 * the database exists or can be created. `databaseUrl` is the database's URL (`/db/fieldscope`, `https://host/db`).
 */
export async function verifyRemote(
  databaseUrl: string,
  credentials: { user?: string; password?: string } = {},
  { signal }: { signal?: AbortSignal } = {},
): Promise<RemoteCheck> {
  const client = new CouchClient({ url: databaseUrl, timeoutMs: 15_000 });
  try {
    const response = await fetch(client.serverUrl, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
    const welcome = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!welcome || !('couchdb' in welcome || 'express-pouchdb' in welcome || 'version' in welcome)) {
      throw new Error(`${maskCredentials(client.serverUrl)} answers, but not as a CouchDB server. Check the address (it should end at the server, e.g. …/db/).`);
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    if (error instanceof Error && error.message.includes('not as a CouchDB server')) throw error;
    throw new Error(`${maskCredentials(client.serverUrl)} cannot be reached. Check the address and the network.`, { cause: error });
  }
  const user = credentials.user ? await signIn(client, credentials.user, credentials.password ?? '', signal) : undefined;
  try {
    await client.info(signal ? { signal } : {});
    return { created: false, ...(user ? { user } : {}) };
  } catch (error) {
    if (!(error instanceof RemoteError) || error.status !== 404) throw explain(error);
  }
  try {
    await client.create(signal ? { signal } : {});
    return { created: true, ...(user ? { user } : {}) };
  } catch (error) {
    throw explain(error, `The database “${client.dbName}” does not exist and this account may not create it: ask the server's administrator to create it.`);
  }
}

/**
 * Signs in with the server's `_session` (the browser keeps the cookie; the password is used once, here) and resolves to
 * the name the server knows; a refused name or password is an Error that says so.
 */
export async function signIn(client: CouchClient, name: string, password: string, signal?: AbortSignal): Promise<string> {
  try {
    return (await client.login(name, password, signal ? { signal } : {})).name;
  } catch (error) {
    if (error instanceof RemoteError && error.status === 401) throw new Error('The server refused this name and password. Check them and try again.', { cause: error });
    throw error;
  }
}

function explain(error: unknown, forbidden?: string): Error {
  if (error instanceof RemoteError && (error.status === 401 || error.status === 403)) {
    return new Error(forbidden ?? 'Sign in to the sync server: it needs a name and password for this database. Enter them and try again.', { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
