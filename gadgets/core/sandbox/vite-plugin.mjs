// @ts-check
/**
 * Lets sandboxed iframe gadgets load their module scripts from the dev (and preview) server.
 *
 * A gadget iframe has `sandbox="allow-scripts"` without allow-same-origin, so its origin is opaque ("null") and every
 * module script it loads is a cross-origin (CORS) request. The app's static files are public, so answering those
 * requests with `Access-Control-Allow-Origin: *` gives nothing away; no credentials are allowed. A production server
 * must send the same header on its static files (see gadgets/core/README.md).
 * @returns {import('vite').Plugin}
 */
export function gadgetSandboxes() {
  /** @type {import('vite').Connect.NextHandleFunction} */
  const allowOpaqueOrigins = (req, res, next) => {
    if (req.headers.origin === 'null' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.setHeader('Access-Control-Allow-Origin', '*');
    }
    next();
  };
  return {
    name: 'fieldscope-gadget-sandboxes',
    configureServer(server) {
      server.middlewares.use(allowOpaqueOrigins);
    },
    configurePreviewServer(server) {
      server.middlewares.use(allowOpaqueOrigins);
    },
  };
}
