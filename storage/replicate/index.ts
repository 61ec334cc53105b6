export { Replicator, type ConflictPolicy, type DocumentMerge, type ReplicatorOptions, type SyncProgress, type SyncReport } from './replicator';
export { StoragePeer } from './storage-peer';
export { CouchPeer } from './couch-peer';
export { StorageSyncState } from './storage-sync-state';
export { MemorySyncState, type SyncConflict, type SyncRefusal, type SyncStateStore, type Signature } from './sync-state';
export type { ReplicationPeer, PeerDoc, Seq, Version } from './peer';
