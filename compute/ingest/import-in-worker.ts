import type { ImportOptions, ImportResult } from './import-file';
import type { ImportWorkerMessage, ImportWorkerRequest } from './import-worker-protocol';

/**
 * Imports a file (see `importFile`) into the app's local database in a worker of its own, so decoding and writing a
 * large file leave the page responsive. Progress comes back as the file is read. Aborting `signal` cancels: the
 * worker removes what it wrote, then the promise rejects (with the abort reason). Errors keep their name and message.
 */
export function importFileInWorker(file: File, { signal, onProgress, rawFormat }: Omit<ImportOptions, 'journal'> = {}): Promise<ImportResult> {
  signal?.throwIfAborted();
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module', name: `import ${file.name}` });
  const send = (message: ImportWorkerRequest) => worker.postMessage(message);
  return new Promise<ImportResult>((resolve, reject) => {
    const onAbort = () => send({ type: 'cancel' }); // the worker answers 'failed' once it has cleaned up
    const settle = (finish: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      finish();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<ImportWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress?.(message.fraction);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(signal?.aborted ? signal.reason : Object.assign(new Error(message.message), { name: message.name })));
    };
    worker.onerror = (event) => settle(() => reject(new Error(`${file.name}: the import could not start (${event.message || 'its worker failed to load'}). Reload the page and import it again.`)));
    send({ type: 'import', file, ...(rawFormat ? { rawFormat } : {}) });
  });
}
