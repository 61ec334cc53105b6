/** A server address as typed on the Remotes page, its credentials taken out (they sign in once; none is stored). */
export interface RemoteAddress {
  /** The address without user name and password. */
  address: string;
  user?: string;
  password?: string;
}

/**
 * Takes the `user:password@` part out of an absolute address (`https://ana:secret@host/db/` → `https://host/db/`, user
 * `ana`, password `secret`); a relative address (`/db/`) or one without credentials comes back as it is.
 */
export function splitCredentials(typed: string): RemoteAddress {
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { address: typed };
  }
  if (!url.username && !url.password) return { address: typed };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { address: url.href, ...(user ? { user } : {}), ...(password ? { password } : {}) };
}

/**
 * True when the address (resolved against `base`, the app's own URL, for a relative one) is plain `http://` to another
 * machine: the password and the data would travel unencrypted. Loopback (127.0.0.0/8, localhost, [::1]) is not.
 */
export function isUnencryptedRemote(address: string, base: string): boolean {
  let url: URL;
  try {
    url = new URL(address, base);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host));
}
