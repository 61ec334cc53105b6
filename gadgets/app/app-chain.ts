import { appStorage } from './app-storage';

/**
 * Runs the processing chain (decode → statistics → spectrum) on this device's documents while the app is open, including
 * documents that arrive by sync. Its code loads lazily, after the shell is up.
 */
export async function runAppChain(signal: AbortSignal): Promise<void> {
  const [storage, { ChainRunner, defaultOperations }, { IndexedDBStorage }] = await Promise.all([
    appStorage(),
    import('../../compute/chain'),
    import('../../storage/indexeddb/indexeddb-storage'),
  ]);
  await new ChainRunner(storage, defaultOperations, { state: new IndexedDBStorage({ name: 'fieldscope-chain' }) }).run(signal);
}
