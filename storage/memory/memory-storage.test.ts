import { describeStorageConformance } from '../conformance/storage-conformance';
import { QueryStorage } from '../query/query-storage';
import { UuidStorage } from '../uuid/uuid-storage';
import { MemoryStorage } from './memory-storage';

describeStorageConformance('memory', () => ({ storage: new MemoryStorage() }));
describeStorageConformance('query over uuid over memory', () => ({ storage: new QueryStorage(new UuidStorage(new MemoryStorage())) }));
