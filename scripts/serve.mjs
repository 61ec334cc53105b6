// A small static server for the built app (npm start, e2e tests): SPA fallback, correct types, no caching of the
// service worker script, and optional same-origin proxies (e.g. /db/ → the local sync server) so the app needs no CORS.
import { createServer, request as httpRequest } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { headerPolicy } from './content-security-policy.mjs';
import { isOwnLoopbackHost, loopbackHosts } from './loopback-host.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {{ root: string, host?: string, port?: number, proxies?: Record<string, string> }} options
 *   port 0 (default) picks a free port; proxies maps a path prefix to a target origin, e.g. {'/db/': 'http://127.0.0.1:5984'}.
 * @returns {Promise<{ url: string, port: number, setRoot(root: string): void, stop(): Promise<void> }>}
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 0, proxies = {} }) {
  let base = resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const proxy = Object.entries(proxies).find(([prefix]) => url.pathname.startsWith(prefix));
    if (proxy) return forward(req, res, proxy[0], proxy[1]);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return undefined;
    }
    const file = fileFor(base, decodeURIComponent(url.pathname));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return undefined;
    }
    const noCache = file.endsWith(`${sep}sw.js`) || file.endsWith('.html') || file.endsWith('.webmanifest');
    const size = statSync(file).size;
    const range = byteRange(req.headers.range, size);
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': noCache ? 'no-cache' : 'public, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
      // Sandboxed gadget iframes have an opaque origin: their module scripts are cross-origin requests. Static files are
      // public and sent without credentials, so any origin may read them.
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'content-range, content-length, accept-ranges',
      'x-content-type-options': 'nosniff',
      ...(file.endsWith('.html') ? { 'content-security-policy': headerPolicy(file) } : {}),
    };
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
      return undefined;
    }
    if (range) {
      res.writeHead(206, { ...headers, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${size}` });
    } else {
      res.writeHead(200, { ...headers, 'content-length': size });
    }
    if (req.method === 'HEAD') res.end();
    else createReadStream(file, range ?? {}).pipe(res);
    return undefined;
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}/`,
    port: actualPort,
    setRoot(next) {
      base = resolve(next);
    },
    stop: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done(undefined)); }),
  };
}

/**
 * A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range, inclusive ends; undefined to send the whole file (no or
 * unsupported Range header, e.g. several ranges); 'unsatisfiable' when it starts past the end.
 */
function byteRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start;
  let end;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** The file to send: the exact file, else index.html for app routes (paths without an extension). */
function fileFor(base, pathname) {
  const candidate = normalize(join(base, pathname));
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined; // no escaping the root
  if (isFile(candidate)) return candidate;
  if (isFile(join(candidate, 'index.html'))) return join(candidate, 'index.html');
  if (extname(pathname) === '') return isFile(join(base, 'index.html')) ? join(base, 'index.html') : undefined;
  return undefined;
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Sends a proxied request on to `target`, as the app's own origin: only for this server's own loopback name (a
 * DNS-rebound name is refused) and for no other origin's page (a foreign or `null` Origin is refused: other sites,
 * sandboxed frames). The browser's Origin is not passed on and the target's CORS headers are dropped, so nothing there
 * can let another origin in again.
 */
function forward(req, res, prefix, target) {
  const refusal = crossOriginRefusal(req);
  if (refusal) {
    res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'forbidden', reason: refusal }));
    return;
  }
  const url = new URL(target);
  const path = (url.pathname.replace(/\/$/, '') + '/' + (req.url ?? '').slice(prefix.length)).replace(/^\/\//, '/');
  const { origin: _origin, ...headers } = req.headers;
  const upstream = httpRequest(
    { host: url.hostname, port: url.port, method: req.method, path, headers: { ...headers, host: url.host } },
    (reply) => {
      const replyHeaders = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !name.startsWith('access-control-')));
      res.writeHead(reply.statusCode ?? 502, replyHeaders);
      reply.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'bad_gateway', reason: `The sync server is not reachable (${error.message}).` }));
  });
  req.pipe(upstream);
}

/** Why a proxied request is refused (it names another host, or comes from another origin's page); undefined if it is not. */
function crossOriginRefusal(req) {
  const port = req.socket.localPort;
  const host = req.headers.host;
  if (!isOwnLoopbackHost(host, port)) {
    return `This server answers only to ${loopbackHosts(port).join(', ')}, not to the host ${JSON.stringify(host ?? '')}: open the app at http://127.0.0.1:${port}/.`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host.toLowerCase()}`) {
    return `The sync server takes requests from this app's own pages only, not from the origin ${JSON.stringify(origin)}.`;
  }
  // A browser names where a request comes from even when it sends no Origin (an image or script of another page).
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `The sync server takes requests from this app's own pages only, not from a ${site} page.`;
  }
  return undefined;
}
