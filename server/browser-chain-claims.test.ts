import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer, type LockedPouchServer } from '../scripts/pouchdb-server.mjs';
import { MemoryStorage, QueryStorage, UuidStorage, type Doc, type ProcessStep } from '../storage';
import { CouchClient, type CouchDoc } from '../storage/remote/couch-client';
import { CouchStorage } from '../storage/remote/couch-storage';
import { CouchPeer } from '../storage/replicate/couch-peer';
import { toBase64 } from '../storage/remote/pieces';
import { Replicator } from '../storage/replicate/replicator';
import { StoragePeer } from '../storage/replicate/storage-peer';
import { StorageSyncState } from '../storage/replicate/storage-sync-state';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { ChainRunner } from '../compute/chain/chain-runner';
import { defaultOperations } from '../compute/chain/operations';
import type { Operation } from '../compute/chain/operation';
import { serverWorkersKnown } from '../compute/chain/server-workers';
import { claimOf } from '../compute/chain/step-claim';
import { ChainWorker } from './chain-worker';
import { ensureStepIndex } from './step-index';

let server: LockedPouchServer;
let counter = 0;
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true });
}, 30_000);
afterAll(async () => server?.stop());

async function database(): Promise<CouchClient> {
  const client = new CouchClient({ url: `${server.url}browser-claims-${++counter}`, auth: server.admin });
  await client.create();
  await ensureStepIndex(client);
  return client;
}

const piece = (bytes: Uint8Array) => ({ 'data#0': { content_type: 'application/octet-stream', data: toBase64(bytes) } });
const arrayDoc = (id: string, index: number): CouchDoc => {
  const samples = Float32Array.from({ length: 256 }, (_, at) => index + at / 256);
  return { _id: id, portal_type: 'Data Array', title: id, reference: id, modification_date: '2026-01-01', dtype: 'float32', shape: [256], pyramid: { base: 512, dtype: 'float32' }, _attachments: piece(new Uint8Array(samples.buffer)) };
};
const streamDoc = (id: string, hz: number): CouchDoc => {
  const tone = Array.from({ length: 4096 }, (_, at) => 0.5 * Math.sin((2 * Math.PI * hz * at) / 8000));
  return { _id: id, portal_type: 'Data Stream', title: `${id}.wav`, reference: id, modification_date: '2026-01-01', content_type: 'audio/wav', status: 'complete', _attachments: piece(encodeWav(tone, { sampleRate: 8000 })) };
};

/** The chain's operations, each run counted by (document, step) and by who ran it. */
function counted(runs: Map<string, string[]>, who: string): Operation[] {
  return defaultOperations.map((operation) => ({
    ...operation,
    run: (storage, id, doc, options) => {
      const key = `${id} ${operation.name}`;
      runs.set(key, [...(runs.get(key) ?? []), who]);
      return operation.run(storage, id, doc, options);
    },
  }));
}

const doneSteps = (doc: Doc) => ((doc['process'] as ProcessStep[] | undefined) ?? []).filter((step) => step.status === 'done');

/** A device: its storage, its sync with the server, and the app's chain on it with claims on the server. */
function device(client: CouchClient, runs: Map<string, string[]>, leaveHeavy: boolean) {
  const storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  const replicator = new Replicator({ local: new StoragePeer(storage), remote: new CouchPeer(client), state: new StorageSyncState(new MemoryStorage()), pullChunks: () => true });
  const chain = new ChainRunner(storage, counted(runs, 'browser'), {
    state: new MemoryStorage(),
    retryBaseMs: 50,
    claims: { remote: new CouchStorage(client), worker: 'tablet-1', leaseMs: 3000, leaveHeavy: () => leaveHeavy, serverWorkersKnown: () => serverWorkersKnown(client) },
  });
  return { storage, replicator, chain };
}

/** Runs the device's chain, a server worker and the device's sync side by side until `finished` says so (or 30 s). */
async function together(client: CouchClient, runs: Map<string, string[]>, leaveHeavy: boolean, finished: (docs: Doc[]) => boolean) {
  const tablet = device(client, runs, leaveHeavy);
  let conflicts = (await tablet.replicator.sync()).conflicts;
  const stop = new AbortController();
  const worker = new ChainWorker(client, counted(runs, 'server'), { worker: 'server-1', leaseMs: 3000, pollMs: 30, retryBaseMs: 50 });
  const running = [worker.run(stop.signal), tablet.chain.run(stop.signal)];
  const storage = new CouchStorage(client);
  const started = Date.now();
  for (;;) {
    conflicts += (await tablet.replicator.sync()).conflicts;
    const docs = (await storage.allDocs({ include_docs: true })).rows.map((row) => row.doc!);
    if (finished(docs) && docs.every((doc) => claimOf(doc) === undefined)) break;
    if (Date.now() - started > 30_000) throw new Error(`not finished: ${JSON.stringify([...runs])}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop.abort();
  await Promise.all(running);
  conflicts += (await tablet.replicator.sync()).conflicts;
  return { conflicts, docs: (await storage.allDocs({ include_docs: true })).rows.map((row) => [row.id, row.doc!] as const), tablet };
}

/** Every step the chain owes these documents is recorded done on the server. */
function chainFinished(docs: Doc[], streams: number): boolean {
  const decoded = docs.filter((doc) => doc['portal_type'] === 'Data Stream' && doneSteps(doc).some((step) => step.name === 'decode')).length;
  const spectra = docs.filter((doc) => doc['spectrum'] !== undefined);
  const arrays = docs.filter((doc) => doc['portal_type'] === 'Data Array');
  return decoded === streams && spectra.length === streams && arrays.every((doc) => doneSteps(doc).some((step) => step.name === 'statistics'));
}

describe("the app's chain and server workers share one claim protocol", () => {
  it('a device chain and a server worker running at once never do a step twice, and sync without conflicts', async () => {
    const client = await database();
    const streams = 6;
    await client.bulkDocs([...Array.from({ length: 24 }, (_, index) => arrayDoc(`array-${index}`, index)), ...Array.from({ length: streams }, (_, index) => streamDoc(`stream-${index}`, 400 + 100 * index))]);
    const runs = new Map<string, string[]>();
    const { conflicts, docs, tablet } = await together(client, runs, false, (all) => chainFinished(all, streams));
    expect(conflicts).toBe(0);
    // Each step ran once, on one side or the other: 24 statistics, and per stream decode, its signal's statistics and
    // spectrum, the spectrum's statistics.
    const twice = [...runs].filter(([, who]) => who.length > 1);
    expect(twice).toEqual([]);
    expect(runs.size).toBe(24 + streams * 4);
    const by = [...runs.values()].flat();
    expect(by).toContain('browser');
    expect(by).toContain('server');
    // Recorded once each, where it was claimed, and the device has the same records after sync.
    for (const [id, doc] of docs) {
      const names = doneSteps(doc).map((step) => step.name);
      expect(new Set(names).size, id).toBe(names.length);
      expect(doneSteps(await tablet.storage.get(id)).map((step) => step.name), id).toEqual(names);
    }
    const browserSteps = docs.flatMap(([, doc]) => doneSteps(doc)).filter((step) => step.worker === 'tablet-1');
    expect(browserSteps.length).toBe(by.filter((who) => who === 'browser').length);
  }, 60_000);

  it('"leave heavy steps to the server": with a server worker known, the device runs only the light steps', async () => {
    const client = await database();
    const streams = 3;
    await client.bulkDocs([...Array.from({ length: 6 }, (_, index) => arrayDoc(`array-${index}`, index)), ...Array.from({ length: streams }, (_, index) => streamDoc(`stream-${index}`, 500 + 100 * index))]);
    const runs = new Map<string, string[]>();
    const { conflicts } = await together(client, runs, true, (all) => chainFinished(all, streams));
    expect(conflicts).toBe(0);
    const heavy = new Set(defaultOperations.filter((operation) => operation.heavy).map((operation) => operation.name));
    const heavyRuns = [...runs].filter(([key]) => heavy.has(key.split(' ').at(-1)!));
    expect(heavyRuns.length).toBe(streams * 2);
    expect(heavyRuns.every(([, who]) => who.length === 1 && who[0] === 'server')).toBe(true);
    expect([...runs].filter(([, who]) => who.length > 1)).toEqual([]);
  }, 60_000);
  it('with the server out of reach, the device claims in its own copy and goes on; nothing is left claimed', async () => {
    const storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
    for (let index = 0; index < 3; index += 1) {
      const { _id, _attachments, ...body } = arrayDoc(`offline-${index}`, index);
      await storage.put(_id, body);
      await storage.putAttachment(_id, 'data', Buffer.from((_attachments!['data#0'] as { data: string }).data, 'base64'));
    }
    const unreachable = new CouchStorage(new CouchClient({ url: 'http://127.0.0.1:9/fieldscope', timeoutMs: 500 }));
    const runs = new Map<string, string[]>();
    const chain = new ChainRunner(storage, counted(runs, 'browser'), { state: new MemoryStorage(), claims: { remote: unreachable, worker: 'tablet-1', leaseMs: 3000 } });
    for (let index = 0; index < 3; index += 1) await chain.handle(`offline-${index}`, false, new AbortController().signal);
    for (let index = 0; index < 3; index += 1) {
      const doc = await storage.get(`offline-${index}`);
      expect(claimOf(doc)).toBeUndefined();
      expect(doneSteps(doc).map((step) => [step.name, step.worker])).toEqual([['statistics', 'tablet-1']]);
    }
    expect(runs.size).toBe(3);
  });
});
