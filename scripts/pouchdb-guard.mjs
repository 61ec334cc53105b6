// Preloaded into pouchdb-server (`node --import`) by pouchdb-server.mjs unless it runs as an admin party, to give it
// what CouchDB has and pouchdb-server 4.2 lacks. Every request must name this server (127.0.0.1, localhost or [::1]
// with its own port): a DNS-rebound page is refused. Every request but the welcome and `_session` (signing in and
// out) needs a signed-in user, as CouchDB's `require_valid_user` does, and creating or deleting a database needs a
// server admin (pouchdb-server crashes when anyone else tries).
import http from 'node:http';
import { isOwnLoopbackHost } from './loopback-host.mjs';

// pouchdb-server rewrites its config.json (the admin's hash, the session secret) through a new file: owner-only, as
// everything else it writes.
process.umask(0o077);

/** Paths anyone may use: the welcome (tells clients this is a CouchDB server) and signing in and out. */
const OPEN = new Set(['/', '/_session', '/favicon.ico']);
/** How long a checked session is trusted without asking again (the server refreshes its cookie on each request). */
const SESSION_TRUST_MS = 5000;
const MAX_TRUSTED = 256;
/** Cookie and Authorization header → who they sign in, and until when that answer is trusted. */
const trusted = new Map();

const createServer = http.createServer;
// express's app.listen() calls http.createServer(app): the guard goes in front of the app's handler.
http.createServer = function guardedCreateServer(...args) {
  const at = args.findIndex((arg) => typeof arg === 'function');
  if (at >= 0) args[at] = guard(args[at]);
  return createServer.apply(this, args);
};

function guard(handler) {
  return (req, res) => {
    const port = req.socket.localPort;
    if (!isOwnLoopbackHost(req.headers.host, port)) {
      return refuse(res, 403, 'forbidden', `This sync server answers only to 127.0.0.1:${port}, localhost:${port} or [::1]:${port}, not to ${JSON.stringify(req.headers.host ?? '')}.`);
    }
    if (OPEN.has(rawPath(req.url))) return handler(req, res);
    userOf(req, port).then(
      (user) => {
        if (!user) return refuse(res, 401, 'unauthorized', 'Sign in to the sync server first (its _session, with a name and password).');
        if (changesDatabase(req) && !user.roles.includes('_admin')) return refuse(res, 403, 'forbidden', 'Only a server admin may create or delete a database.');
        return handler(req, res);
      },
      (error) => refuse(res, 503, 'unavailable', `The sync server could not check the session (${error.message}): try again.`),
    );
    return undefined;
  };
}

/** The request target's path as sent (no decoding, no dot-segment removal: `/x/../_session` is not `/_session`). */
function rawPath(url = '/') {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** PUT or DELETE of `/<database>` itself (not of a document in it). */
function changesDatabase(req) {
  return (req.method === 'PUT' || req.method === 'DELETE') && /^\/[^/]+\/?$/.test(rawPath(req.url));
}

/** The signed-in user a request's cookie or basic credentials stand for, asked of the server itself; undefined if none. */
async function userOf(req, port) {
  const cookie = req.headers.cookie ?? '';
  const authorization = req.headers.authorization ?? '';
  if (!/(^|;\s*)AuthSession=/.test(cookie) && !authorization) return undefined;
  const key = `${cookie}\n${authorization}`;
  const known = trusted.get(key);
  if (known && known.until > Date.now()) return known.user;
  const session = await askSession(port, { cookie, authorization });
  const name = session?.userCtx?.name;
  const user = typeof name === 'string' && name ? { name, roles: Array.isArray(session.userCtx.roles) ? session.userCtx.roles : [] } : undefined;
  if (user) {
    if (trusted.size >= MAX_TRUSTED) trusted.delete(trusted.keys().next().value);
    trusted.set(key, { user, until: Date.now() + SESSION_TRUST_MS });
  }
  return user;
}

function askSession(port, { cookie, authorization }) {
  const headers = { host: `127.0.0.1:${port}`, accept: 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (authorization) headers.authorization = authorization;
  return new Promise((done, fail) => {
    const ask = http.request({ host: '127.0.0.1', port, path: '/_session', headers, timeout: 10_000 }, (reply) => {
      let text = '';
      reply.setEncoding('utf8');
      reply.on('data', (chunk) => (text += chunk));
      reply.on('end', () => {
        try {
          done(reply.statusCode === 200 ? JSON.parse(text) : undefined);
        } catch (error) {
          fail(error);
        }
      });
    });
    ask.on('timeout', () => ask.destroy(new Error('no answer in 10 s')));
    ask.on('error', fail);
    ask.end();
  });
}

function refuse(res, status, error, reason) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error, reason }));
}
