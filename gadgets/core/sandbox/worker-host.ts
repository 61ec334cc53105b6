// Runs inside the hidden <iframe sandbox="allow-scripts"> (worker-host.html) that starts a worker gadget when the
// browser gives a data: URL worker started by the app the app's own origin (Chromium before 149). This page's origin
// is opaque, and so is the origin of a worker it starts, in every browser. The parent's MessagePort goes on to the
// worker, so calls and transferred buffers travel straight between the app and the worker, never through this page.
import { HELLO, INIT, WORKER_ERROR } from './protocol';
import { startBootstrappedWorker } from './worker-bootstrap';

const token = location.hash.slice(1);
// The parent must be the app itself: its origin is this page's URL origin (our own origin is opaque: "null").
const parentOrigin = location.origin;

function startWorker(url: string, scope: string, port: MessagePort): void {
  // Not a blob: URL: in Chromium a module worker from an opaque origin's blob: URL does not start, and a classic one
  // is no secure context (no crypto.subtle, no WebGPU). A data: URL worker started here is opaque in every browser.
  const worker = startBootstrappedWorker(url, scope);
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    window.parent.postMessage({ type: WORKER_ERROR, token, message: event.message || 'script error' }, parentOrigin);
  }, { once: true }); // later errors are the gadget's own: left to the console
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
