import { appStorage } from './app-storage';

/**
 * Completes recordings a reload interrupted and cleans up imports it cut short, then runs the processing chain (decode → statistics → spectrum) in a
 * worker on this device's documents while the app is open, including documents that arrive by sync. Its code loads
 * lazily, after the shell is up.
 */
export async function runAppChain(signal: AbortSignal): Promise<void> {
  const [storage, { runChainInWorker }, { finishInterruptedRecordings }, { cleanInterruptedImports, openImportJournal }] = await Promise.all([
    appStorage(),
    import('../../compute/chain/chain-in-worker'),
    import('../../compute/record/interrupted-recordings'),
    import('../../compute/ingest/interrupted-imports'),
  ]);
  void finishInterruptedRecordings(storage); // their arrays then go through the chain like any other
  void cleanInterruptedImports(storage, openImportJournal()); // the file is still with the user, to import again
  await runChainInWorker(signal);
}
