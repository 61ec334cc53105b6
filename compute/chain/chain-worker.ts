// The processing chain in a dedicated worker: decoding a large import, its statistics and its spectrum never hold up
// the page. It works on the same IndexedDB database as the page, whose views hear of its writes through the
// storage's change broadcast. The page stops it by terminating the worker (a step cut short simply runs again later).
import { createLocalStorage } from '../../storage/local-storage';
import { IndexedDBStorage } from '../../storage/indexeddb/indexeddb-storage';
import { whileHoldingLock } from '../../storage/device-lock';
import { ChainRunner } from './chain-runner';
import { defaultOperations } from './operations';
import type { ChainWorkerMessage } from './chain-worker-protocol';
import { CHAIN_STATE_NAME } from './chain-settings';
import { deviceClaims } from './device-claims';
import { SYNC_STATE_NAME } from '../../storage/sync/registry-name';

const post = (message: ChainWorkerMessage) => (self as unknown as Worker).postMessage(message);
const state = new IndexedDBStorage({ name: CHAIN_STATE_NAME });
// Steps of documents the sync server has are claimed there, as server workers claim them (compute/chain/claimed-step.ts).
const claims = deviceClaims(new IndexedDBStorage({ name: SYNC_STATE_NAME }), state);
const runner = new ChainRunner(createLocalStorage(), defaultOperations, { state, claims });

// One chain per device: with the app open in several tabs, the others wait, and one takes over when its tab closes
// (two chains would both run a step on the same document).
whileHoldingLock('fieldscope-chain', () => runner.run(new AbortController().signal)).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
