// Runs inside the hidden <iframe sandbox="allow-scripts"> of a worker gadget (worker-host.html). This page's origin is
// opaque, and so is the origin of the worker it starts: the gadget gets no IndexedDB, Cache Storage, Web Locks,
// cookies or BroadcastChannel of the app. (A worker from the app's own URL runs on the app's origin; a data: URL
// worker started by the app itself is opaque only in recent browsers; started here it is opaque in all.)
// The parent's MessagePort goes on to the worker, so calls and transferred buffers travel straight between the app
// and the worker, never through this page.
import { HELLO, INIT, WORKER_ERROR } from './protocol';

const token = location.hash.slice(1);
// The parent must be the app itself: its origin is this page's URL origin (our own origin is opaque: "null").
const parentOrigin = location.origin;

/**
 * The worker's first module: it loads the gadget's script from the app (a CORS request from the opaque origin) and
 * hands the parent's init message to it only once it is loaded, so `serveWorkerGadget` is listening. A script that
 * fails to load answers `failed` on the port: the declaration rejects with the reason.
 */
function bootstrapSource(url: string): string {
  return `const url = ${JSON.stringify(url)};
const loaded = import(url);
loaded.catch(() => {});
addEventListener('message', (event) => {
  const port = event.ports[0];
  loaded.then(
    () => dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] })),
    (error) => port && port.postMessage({ type: 'failed', error: { name: (error && error.name) || 'Error', message: url + ': ' + ((error && error.message) || String(error)) } }),
  );
}, { once: true });
`;
}

function startWorker(url: string, scope: string, port: MessagePort): void {
  // A data: URL, not a blob: one: in Chromium a module worker from an opaque origin's blob: URL does not start, and a
  // classic one is no secure context (no crypto.subtle, no WebGPU). Started here, its origin is opaque in every browser.
  const source = `data:text/javascript;charset=utf-8,${encodeURIComponent(bootstrapSource(url))}`;
  const worker = new Worker(source, { type: 'module', name: `gadget ${scope}` });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    window.parent.postMessage({ type: WORKER_ERROR, token, message: event.message || 'script error' }, parentOrigin);
  });
  worker.postMessage({ type: INIT, token: '', url, scope }, [port]);
}

function onInit(event: MessageEvent): void {
  const data = event.data as { type?: unknown; token?: unknown; url?: unknown; scope?: unknown } | null;
  if (event.source !== window.parent || event.origin !== parentOrigin) return;
  if (!data || data.type !== INIT || data.token !== token || typeof data.url !== 'string') return;
  const port = event.ports[0];
  if (!port) return;
  window.removeEventListener('message', onInit);
  try {
    startWorker(data.url, typeof data.scope === 'string' ? data.scope : '', port);
  } catch (error) {
    window.parent.postMessage({ type: WORKER_ERROR, token, message: String(error) }, parentOrigin);
  }
}

if (token && window.parent !== window) {
  window.addEventListener('message', onInit);
  window.parent.postMessage({ type: HELLO, token }, parentOrigin);
}
