// Which Host headers name this machine's own server: a page whose name was made to point at 127.0.0.1 (DNS
// rebinding) sends its own name, and is refused by the /db/ proxy and by the sync server alike.

/** The names of a loopback server listening on `port`, as they appear in a Host header. */
export function loopbackHosts(port) {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** True when `host` (a Host header, any case) is 127.0.0.1, localhost or [::1] with exactly this port. */
export function isOwnLoopbackHost(host, port) {
  return typeof host === 'string' && loopbackHosts(port).includes(host.toLowerCase());
}
