import { describeStorageConformance } from '../conformance/storage-conformance';
import { createLocalStorage } from '../local-storage';
import { IndexedDBStorage } from './indexeddb-storage';

// The same suite as in Node, against Chromium's real IndexedDB (real Blobs, real transactions).
let counter = 0;
const freshName = () => `browser-conformance-${Date.now()}-${++counter}`;

describeStorageConformance('indexeddb in Chromium', () => ({ storage: new IndexedDBStorage({ name: freshName(), chunkSize: 1024 }), chunkSize: 1024 }));
describeStorageConformance('the app stack (createLocalStorage) in Chromium', () => ({ storage: createLocalStorage(freshName()) }));
