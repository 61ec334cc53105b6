import type { ChainWorkerMessage } from './chain-worker-protocol';

/**
 * Runs the app's processing chain (decode → statistics → spectrum) in a worker until `signal` aborts; rejects when
 * the chain stops on an error of its own (a failing step is recorded on its document instead, and retried).
 */
export function runChainInWorker(signal: AbortSignal): Promise<void> {
  const worker = new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module', name: 'processing chain' });
  return new Promise<void>((resolve, reject) => {
    const stop = (settle: () => void) => {
      worker.terminate();
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => stop(resolve);
    signal.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<ChainWorkerMessage>) => stop(() => reject(new Error(`The processing chain stopped: ${event.data.message}`)));
    worker.onerror = (event) => stop(() => reject(new Error(`The processing chain could not start: ${event.message || 'its worker failed to load'}.`)));
  });
}
