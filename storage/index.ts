export type * from './types';
export type * from './documents';
export { DATA_ATTACHMENT } from './documents';
export { StorageError, isStorageError } from './storage-error';
export type { StorageStatus } from './storage-error';
