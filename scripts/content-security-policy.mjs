// @ts-check
// The Content-Security-Policy of the app's pages, in one place: a <meta> in each built page (so the dev server and any
// static host send it too) and a response header from scripts/serve.mjs (which adds what a <meta> cannot: frame-ancestors).

/**
 * The sandbox pages (gadgets/core/sandbox/host.ts loads them in opaque-origin iframes): iframe gadgets, and the page that
 * starts worker gadgets where a data: worker of the app's own would not be opaque.
 */
export const SANDBOX_PAGES = ['gadgets/core/sandbox/iframe.html', 'gadgets/core/sandbox/worker-host.html'];

/**
 * The page that starts notebook kernels (compute/kernel/kernel-host.html): a sandbox page whose policy also allows
 * 'unsafe-eval', inherited by the data: worker it starts, where the user's cells are evaluated. That worker's origin
 * is opaque, so eval there reaches nothing of the app; the app's own pages never allow eval. The host page itself is
 * loaded same-origin (so the service worker serves it offline): it renders nothing and takes only its parent's init.
 */
export const KERNEL_PAGES = ['compute/kernel/kernel-host.html'];

/**
 * The app: scripts only from its own files (no inline script, no eval; 'wasm-unsafe-eval' lets pffft's WebAssembly
 * compile and allows no JavaScript eval). connect-src cannot be narrower than any http(s) origin: a remote is any
 * CouchDB URL the user adds at run time (blob: is the page's own object URLs, made by its own script). Styles allow 'unsafe-inline' for the boot style in index.html and the style
 * attributes dygraphs writes into its legend. Images: blob: for saved images, data: for dygraphs' zoom handles.
 */
const APP = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'blob:', 'data:'],
  'connect-src': ["'self'", 'blob:', 'http:', 'https:'],
  // data: is how worker gadgets start with an opaque origin (gadgets/core/sandbox/worker-bootstrap.ts); such a worker
  // inherits this policy, so it too loads scripts from the app's own files only.
  'worker-src': ["'self'", 'data:'],
  'frame-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/**
 * The sandbox page: its origin is opaque, so what runs there cannot reach the app's storage, cookies or DOM; it loads
 * the gadget module the declaring gadget names, from any http(s), data: or blob: URL. Still no inline script, eval,
 * plugins or <base>.
 */
const SANDBOX = {
  'default-src': ["'self'", 'http:', 'https:', 'data:', 'blob:'],
  'script-src': ["'self'", 'http:', 'https:', 'data:', 'blob:', "'wasm-unsafe-eval'"],
  'style-src': ["'self'", 'http:', 'https:', "'unsafe-inline'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** The sandbox policy, plus eval for the kernel's worker. */
const KERNEL = { ...SANDBOX, 'script-src': [...SANDBOX['script-src'], "'unsafe-eval'"] };

/** @param {Record<string, string[]>} directives */
function serialize(directives) {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * The policy of a page, as its <meta> says it.
 * @param {string} path the page's path or file name
 */
export function pagePolicy(path) {
  const file = path.replace(/\\/g, '/');
  if (KERNEL_PAGES.some((page) => file.endsWith(page))) return serialize(KERNEL);
  return serialize(SANDBOX_PAGES.some((page) => file.endsWith(page)) ? SANDBOX : APP);
}

/**
 * The policy as a response header: the page's, and who may frame it (only the app itself: its gadget iframes).
 * @param {string} path
 */
export function headerPolicy(path) {
  return `${pagePolicy(path)}; frame-ancestors 'self'`;
}

/**
 * A Vite plugin putting each page's policy first in its <head>, before any script, in builds and on the dev server.
 * @returns {import('vite').Plugin}
 */
export function contentSecurityPolicy() {
  return {
    name: 'fieldscope-content-security-policy',
    transformIndexHtml(_html, context) {
      // The benchmarks' page is no part of the app: it times libraries (ndarray-fft compiles with new Function) as they are.
      if (context.filename.replace(/\\/g, '/').includes('/bench/')) return [];
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: pagePolicy(context.filename) }, injectTo: 'head-prepend' }];
    },
  };
}
