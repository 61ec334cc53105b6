// A file import in a dedicated worker: reading, decoding and writing a large file never hold up the page. It writes
// to the same IndexedDB database as the page (whose views hear of its writes through the storage's change broadcast)
// and enters the import in this device's journal, so an import cut short by a closed tab is cleaned at the next start.
// Cancelling is a message, not terminate(): the import then removes what it wrote before it answers.
import { createLocalStorage } from '../../storage/local-storage';
import { importFile } from './import-file';
import { openImportJournal } from './interrupted-imports';
import type { ImportWorkerMessage, ImportWorkerRequest } from './import-worker-protocol';

const post = (message: ImportWorkerMessage) => (self as unknown as Worker).postMessage(message);
const cancel = new AbortController();
/** Progress is sent by steps of 1/1000 at most: a large file is read in tens of thousands of pieces. */
let sent = -1;

self.onmessage = async (event: MessageEvent<ImportWorkerRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') return cancel.abort();
  try {
    const onProgress = (fraction: number) => {
      if (fraction - sent < 0.001 && fraction < 1) return;
      sent = fraction;
      post({ type: 'progress', fraction });
    };
    const result = await importFile(createLocalStorage(), request.file, { signal: cancel.signal, onProgress, journal: openImportJournal(), ...(request.rawFormat ? { rawFormat: request.rawFormat } : {}) });
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'failed', name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message || error.name : String(error) });
  }
};
