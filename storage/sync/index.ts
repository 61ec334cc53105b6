export { SyncManager, type RemoteConfig, type RemoteSubset, type SyncState, type SyncStatus, type SyncManagerOptions } from './sync-manager';
export { verifyRemote, type RemoteCheck } from './verify-remote';
export { RemoteFallbackStorage } from './remote-fallback-storage';
