// The first module of every worker gadget, given as a data: URL. A data: URL worker's origin is opaque (no IndexedDB,
// Cache Storage, Web Locks, cookies or BroadcastChannel of the app) in browsers that follow the HTML spec, and the
// creator's origin in older ones (Chromium before 149): the bootstrap checks before any gadget code runs.

/** The name of the error a bootstrap answers when its worker turned out to have the app's origin. */
export const NOT_ISOLATED = 'WorkerNotIsolatedError';

/**
 * Waits for the parent's init message; if the worker's origin is opaque, loads the gadget script (`url`, a CORS request
 * from the opaque origin) and hands the init message to it once it is loaded, so `serveWorkerGadget` is listening.
 * Otherwise, or when the script fails to load, it answers `failed` on the port, without running any gadget code.
 */
function bootstrapSource(url: string): string {
  return `const url = ${JSON.stringify(url)};
const isolated = self.origin === 'null';
const loaded = isolated ? import(url) : Promise.reject({ name: ${JSON.stringify(NOT_ISOLATED)}, message: 'this worker has the origin ' + self.origin });
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

/** A module Worker whose first module is the bootstrap for the gadget script at `url` (absolute). */
export function startBootstrappedWorker(url: string, scope: string): Worker {
  const source = `data:text/javascript;charset=utf-8,${encodeURIComponent(bootstrapSource(url))}`;
  return new Worker(source, { type: 'module', name: `gadget ${scope}` });
}
