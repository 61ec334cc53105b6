// Runs inside the hidden <iframe sandbox="allow-scripts"> (worker-host.html) that starts a worker gadget when the
// browser gives a data: URL worker started by the app the app's own origin (Chromium before 149). This page's origin
// is opaque, and so is the origin of a worker it starts, in every browser. A declared host page (the notebook
// kernel's) runs it too, in a same-origin frame: its data: worker is opaque where the browser follows the spec. The parent's MessagePort goes on to the
// worker, so calls and transferred buffers travel straight between the app and the worker, never through this page.
import { awaitFrameInit, type FrameInit } from './frame-handshake';
import { INIT, WORKER_ERROR } from './protocol';
import { startBootstrappedWorker } from './worker-bootstrap';

function startWorker({ url, scope, port, reportToParent }: FrameInit): void {
  // Not a blob: URL: in Chromium a module worker from an opaque origin's blob: URL does not start, and a classic one
  // is no secure context (no crypto.subtle, no WebGPU). A data: URL worker started here is opaque in every browser.
  const worker = startBootstrappedWorker(url, scope ?? '');
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    reportToParent({ type: WORKER_ERROR, message: event.message || 'script error' });
  }, { once: true }); // later errors are the gadget's own: left to the console
  worker.postMessage({ type: INIT, token: '', url, scope: scope ?? '' }, [port]);
}

awaitFrameInit((init) => {
  try {
    startWorker(init);
  } catch (error) {
    init.reportToParent({ type: WORKER_ERROR, message: String(error) });
  }
});
