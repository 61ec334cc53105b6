/** The default IndexedDB database of the remotes and sync state (the chain's worker reads the remotes there too). */
export const SYNC_STATE_NAME = 'fieldscope-sync';
