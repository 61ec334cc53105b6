import { appStorage } from './app-storage';

/**
 * Completes recordings a reload interrupted, then runs the processing chain (decode → statistics → spectrum) in a
 * worker on this device's documents while the app is open, including documents that arrive by sync. Its code loads
 * lazily, after the shell is up.
 */
export async function runAppChain(signal: AbortSignal): Promise<void> {
  const [storage, { runChainInWorker }, { finishInterruptedRecordings }] = await Promise.all([
    appStorage(),
    import('../../compute/chain/chain-in-worker'),
    import('../../compute/record/interrupted-recordings'),
  ]);
  void finishInterruptedRecordings(storage); // their arrays then go through the chain like any other
  await runChainInWorker(signal);
}
