import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A request as the proxy saw it: method, path after the database name (`_changes`, `doc%231`…), query and body. */
export interface SeenRequest {
  method: string;
  /** The path below the database, e.g. `_bulk_docs`, `_all_docs`, `stream-1/data%231`. */
  endpoint: string;
  query: URLSearchParams;
  body: string;
}

/**
 * What the proxy does to an answer:
 * - `rewrite`: the server's JSON answer is passed through `change` (which returns the JSON sent instead);
 * - `status`: the server is not asked; this status and JSON are sent;
 * - `cut-before`: the connection is closed before the server is asked;
 * - `cut-mid-body`: the server is asked, then half its answer is sent (with the full length announced) and the
 *   connection is closed.
 */
export type Fault =
  | { rewrite: (answer: unknown, seen: SeenRequest) => unknown }
  | { status: number; json: unknown }
  | { cut: 'before' | 'mid-body' };

export interface FaultRule {
  /** Which requests it applies to. */
  match: (seen: SeenRequest) => boolean;
  fault: Fault;
  /** Applies to this many matching requests, then no more (default: all). */
  times?: number;
}

/**
 * A loopback HTTP proxy in front of a CouchDB-protocol server (pouchdb-server), for fault tests: per endpoint it
 * rewrites, replaces or cuts answers, and it can drop a share of connections with a seeded random choice (half before
 * the server is asked, half after it answered, so writes that happened but were never confirmed are exercised too).
 */
export interface FaultProxy {
  /** The server URL through the proxy (ends with '/'). */
  readonly url: string;
  /** Active rules, first match wins; tests push and clear them. */
  rules: FaultRule[];
  /** Every request seen, in order. */
  readonly seen: SeenRequest[];
  /** Drops this share of connections (0 = none) with the given seed. */
  dropConnections(rate: number, seed: number): void;
  /** Connections dropped so far. */
  readonly dropped: number;
  stop(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const rules: FaultRule[] = [];
  const seen: SeenRequest[] = [];
  const drops = { rate: 0, random: seededRandom(1), count: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const segments = url.pathname.split('/').filter(Boolean);
    const request: SeenRequest = { method: req.method ?? 'GET', endpoint: segments.slice(1).join('/'), query: url.searchParams, body: body.toString('utf8') };
    seen.push(request);
    const rule = rules.find((candidate) => (candidate.times ?? 1) > 0 && candidate.match(request));
    if (rule && rule.times !== undefined) rule.times -= 1;
    const fault = rule?.fault;
    let drop: 'before' | 'after' | undefined;
    if (drops.rate > 0 && drops.random() < drops.rate) drop = drops.random() < 0.5 ? 'before' : 'after';
    if (drop) drops.count += 1;
    if (drop === 'before' || (fault && 'cut' in fault && fault.cut === 'before')) return void req.socket.destroy();
    if (fault && 'status' in fault) return void res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify(fault.json));
    const answer = await forward(target, req, body);
    if (drop === 'after') return void req.socket.destroy();
    let payload = answer.body;
    const headers = { ...answer.headers };
    if (fault && 'rewrite' in fault && answer.status < 300) {
      payload = Buffer.from(JSON.stringify(fault.rewrite(JSON.parse(payload.toString('utf8')) as unknown, request)));
      headers['content-type'] = 'application/json';
    }
    headers['content-length'] = String(payload.length);
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, headers);
    if (fault && 'cut' in fault && fault.cut === 'mid-body') {
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      setTimeout(() => req.socket.destroy(), 10); // let the half go out first
      return;
    }
    res.end(payload);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return {
    url,
    seen,
    dropConnections(rate: number, seed: number) {
      drops.rate = rate;
      drops.random = seededRandom(seed);
    },
    get dropped() {
      return drops.count;
    },
    set rules(next: FaultRule[]) {
      rules.splice(0, rules.length, ...next);
    },
    get rules() {
      return rules;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Asks the real server; the whole answer is buffered so it can be rewritten or cut. */
function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
  delete headers['accept-encoding']; // plain bodies, so they can be read and rewritten
  delete headers['transfer-encoding'];
  return new Promise((resolve, reject) => {
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (reply) => {
      readAll(reply).then((data) => resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: data }), reject);
    });
    upstream.once('error', reject);
    upstream.end(body);
  });
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.once('end', () => resolve(Buffer.concat(parts)));
    stream.once('error', reject);
  });
}

/** A small deterministic random generator (mulberry32), so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
