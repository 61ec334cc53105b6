import { createServer, request, type Server } from 'node:http';

export type ProxyMode = 'ok' | '500' | 'garbage' | 'down';

/**
 * A proxy on 127.0.0.1 in front of a CouchDB-protocol server, for tests: it logs each request (`METHOD path`) and can
 * be told to fail — HTTP 500, garbage instead of JSON, or no answer at all.
 */
export interface TestProxy {
  url: string;
  mode: ProxyMode;
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startTestProxy(targetUrl: string): Promise<TestProxy> {
  const target = new URL(targetUrl);
  const state = { mode: 'ok' as ProxyMode, requests: [] as string[] };
  const server: Server = createServer((req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    if (state.mode === '500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal","reason":"disk on fire"}');
    if (state.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>');
    if (state.mode === 'down') return void req.socket.destroy();
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return {
    url,
    get mode() {
      return state.mode;
    },
    set mode(mode: ProxyMode) {
      state.mode = mode;
    },
    requests: state.requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
