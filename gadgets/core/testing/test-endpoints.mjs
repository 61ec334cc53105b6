// @ts-check
/**
 * Test-only endpoints on the Vite dev server (browser test project), so browser tests can observe from the server side
 * that a cancelled fetch really closed its request:
 * - `GET /__gadget-test/hang?id=X` sends headers and one byte, then never ends; the server records open and close.
 * - `GET /__gadget-test/status?id=X` answers `{ opened: boolean, closed: boolean }`.
 * @returns {import('vite').Plugin}
 */
export function gadgetTestEndpoints() {
  /** @type {Map<string, { opened: boolean, closed: boolean }>} */
  const requests = new Map();
  return {
    name: 'fieldscope-gadget-test-endpoints',
    // Vitest rewrites dynamic import() in served modules to go through its browser runner, which a sandboxed gadget
    // iframe does not have: give that page a pass-through runner (test server only).
    transformIndexHtml(html, context) {
      if (!context.path.includes('gadgets/core/sandbox/iframe.html')) return html;
      const shim = '<script>globalThis.__vitest_browser_runner__ ??= { wrapDynamicImport: (load) => load() };</script>';
      return html.replace('<head>', `<head>${shim}`);
    },
    configureServer(server) {
      server.middlewares.use('/__gadget-test/', (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const id = url.searchParams.get('id') ?? '';
        if (url.pathname === '/hang') {
          const entry = { opened: true, closed: false };
          requests.set(id, entry);
          res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
          res.write(' ');
          res.on('close', () => (entry.closed = true));
          // Bounded: even if nobody aborts, the server ends it after 30 s.
          setTimeout(() => res.end(), 30_000).unref();
          return;
        }
        const entry = requests.get(id) ?? { opened: false, closed: false };
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(entry));
      });
    },
  };
}
