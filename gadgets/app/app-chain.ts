import { appStorage } from './app-storage';

/**
 * Completes recordings a reload interrupted, then runs the processing chain (decode → statistics → spectrum) on this device's documents while the app is open, including
 * documents that arrive by sync. Its code loads lazily, after the shell is up.
 */
export async function runAppChain(signal: AbortSignal): Promise<void> {
  const [storage, { ChainRunner, defaultOperations }, { IndexedDBStorage }, { finishInterruptedRecordings }] = await Promise.all([
    appStorage(),
    import('../../compute/chain'),
    import('../../storage/indexeddb/indexeddb-storage'),
    import('../../compute/record/interrupted-recordings'),
  ]);
  void finishInterruptedRecordings(storage); // their arrays then go through the chain like any other
  await new ChainRunner(storage, defaultOperations, { state: new IndexedDBStorage({ name: 'fieldscope-chain' }) }).run(signal);
}
