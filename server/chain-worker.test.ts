import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer, type LockedPouchServer } from '../scripts/pouchdb-server.mjs';
import { MemoryStorage, QueryStorage, UuidStorage, type Doc, type ProcessStep } from '../storage';
import { getDataArray, readRange } from '../storage/arrays';
import { CouchClient, type CouchDoc } from '../storage/remote/couch-client';
import { CouchStorage } from '../storage/remote/couch-storage';
import { CouchPeer } from '../storage/replicate/couch-peer';
import { toBase64 } from '../storage/remote/pieces';
import { Replicator } from '../storage/replicate/replicator';
import { StoragePeer } from '../storage/replicate/storage-peer';
import { StorageSyncState } from '../storage/replicate/storage-sync-state';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { defaultOperations } from '../compute/chain/operations';
import type { Operation } from '../compute/chain/operation';
import { claimOf } from '../compute/chain/step-claim';
import { ChainWorker, type WorkerEvent } from './chain-worker';
import { ensureStepIndex } from './step-index';
import { stepOutputId } from '../compute/chain/step-outputs';
import { runCli } from './testing/cli-process';

let server: LockedPouchServer;
let counter = 0;
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true });
}, 30_000);
afterAll(async () => server?.stop());

async function database(): Promise<CouchClient> {
  const client = new CouchClient({ url: `${server.url}workers-${++counter}`, auth: server.admin });
  await client.create();
  await ensureStepIndex(client);
  return client;
}

const piece = (bytes: Uint8Array) => ({ 'data#0': { content_type: 'application/octet-stream', data: toBase64(bytes) } });

/** A Data Array as a tablet syncs it: body and its samples as piece data#0 (no pyramid: statistics reads samples). */
function arrayDoc(id: string, index: number): CouchDoc {
  const samples = Float32Array.from({ length: 256 }, (_, at) => index + at / 256);
  return { _id: id, portal_type: 'Data Array', title: id, reference: id, modification_date: '2026-01-01', dtype: 'float32', shape: [256], pyramid: { base: 512, dtype: 'float32' }, _attachments: piece(new Uint8Array(samples.buffer)) };
}

/** A WAV recording synced from a tablet, not decoded yet: the whole chain (decode, statistics, spectrum) runs on it. */
function streamDoc(id: string, hz: number): CouchDoc {
  const tone = Array.from({ length: 4096 }, (_, at) => 0.5 * Math.sin((2 * Math.PI * hz * at) / 8000));
  return { _id: id, portal_type: 'Data Stream', title: `${id}.wav`, reference: id, modification_date: '2026-01-01', content_type: 'audio/wav', status: 'complete', _attachments: piece(encodeWav(tone, { sampleRate: 8000 })) };
}

const done = (doc: Doc, name: string) => ((doc['process'] as ProcessStep[] | undefined) ?? []).filter((step) => step.name === name && step.status === 'done');

/** Operations that claim like the real ones but never finish: a worker that dies in the middle of a step. */
function stalling(operations: readonly Operation[], onRun: (id: string, name: string) => void): Operation[] {
  return operations.map((operation) => ({
    ...operation,
    run: (_storage, id, _doc, { signal }) =>
      new Promise((_resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        onRun(id, operation.name);
      }),
  }));
}

describe('the processing chain as server workers on a CouchDB-protocol database', () => {
  it('three workers share 200 documents, each step done and recorded once; a worker dying mid-step is taken over after its claim expires; results reach a device by sync', async () => {
    const client = await database();
    const arrays = Array.from({ length: 190 }, (_, index) => arrayDoc(`array-${index}`, index));
    const streams = Array.from({ length: 10 }, (_, index) => streamDoc(`stream-${index}`, 500 + 100 * index));
    expect((await client.bulkDocs([...arrays, ...streams])).every((answer) => answer.ok)).toBe(true);

    const events: (WorkerEvent & { worker: string })[] = [];
    const options = (worker: string) => ({ worker, leaseMs: 1500, pollMs: 50, retryBaseMs: 50, onEvent: (event: WorkerEvent) => events.push({ ...event, worker }) });
    // The first worker dies (its run stops, its claim is left as a crash leaves it) in the middle of its first step.
    const dying = new AbortController();
    let stalled: { id: string; name: string } | undefined;
    const doomed = new ChainWorker(client, stalling(defaultOperations, (id, name) => ((stalled ??= { id, name }), dying.abort())), options('doomed'));
    await doomed.run(dying.signal, { release: false });
    expect(stalled).toBeDefined();
    const left = claimOf(await new CouchStorage(client).get(stalled!.id));
    expect(left).toMatchObject({ worker: 'doomed', step: stalled!.name });

    const workers = [new ChainWorker(client, defaultOperations, options('one')), new ChainWorker(client, defaultOperations, options('two')), new ChainWorker(client, defaultOperations, options('three'))];
    const stop = new AbortController();
    await Promise.all(workers.map((worker) => worker.run(stop.signal, { untilIdle: true })));

    const storage = new CouchStorage(client);
    const all = (await storage.allDocs({ include_docs: true })).rows.map((row) => [row.id, row.doc!] as const);
    const byId = new Map(all);
    // Every document's steps: each done once, no claim left behind.
    for (const [id, doc] of all) {
      expect(claimOf(doc), id).toBeUndefined();
      expect(done(doc, 'statistics'), id).toHaveLength(doc['portal_type'] === 'Data Array' ? 1 : 0);
    }
    for (const stream of streams) {
      const [decode, ...again] = done(byId.get(stream._id)!, 'decode');
      expect(again).toEqual([]);
      const [signalId] = (decode!.result as { arrays: string[] }).arrays;
      const [spectrum, ...twice] = done(byId.get(signalId!)!, 'spectrum');
      expect(twice).toEqual([]);
      expect(byId.get((spectrum!.result as { array: string }).array)?.['spectrum']).toBeDefined();
    }
    // One spectrum per decoded signal, one signal per stream: no step's result was made twice.
    const spectra = all.filter(([, doc]) => doc['spectrum'] !== undefined);
    expect(spectra).toHaveLength(streams.length);
    expect(all).toHaveLength(arrays.length + streams.length * 3);
    // The step the dead worker held was done by another, after its claim expired.
    const takenOver = done(byId.get(stalled!.id)!, stalled!.name);
    expect(takenOver).toHaveLength(1);
    expect(['one', 'two', 'three']).toContain(takenOver[0]!.worker);
    expect(Date.parse(takenOver[0]!.started)).toBeGreaterThanOrEqual(Date.parse(left!.expires));
    // Work was shared: every worker ran steps, and no step was claimed and done twice.
    const doneEvents = events.filter((event) => event.type === 'done');
    expect(new Set(doneEvents.map((event) => event.worker))).toEqual(new Set(['one', 'two', 'three']));
    expect(new Set(doneEvents.map((event) => `${event.id} ${'step' in event ? event.step : ''}`)).size).toBe(doneEvents.length);
    expect(doneEvents).toHaveLength(arrays.length + streams.length * 4);

    // A tablet syncs: the server's results are what its storage reads.
    const device = new QueryStorage(new UuidStorage(new MemoryStorage()));
    const replicator = new Replicator({ local: new StoragePeer(device), remote: new CouchPeer(client), state: new StorageSyncState(new MemoryStorage()), pullChunks: () => true });
    expect(await replicator.sync()).toMatchObject({ conflicts: 0 });
    const [spectrumId] = spectra[0]!;
    const spectrumDoc = await getDataArray(device, spectrumId);
    const bins = await readRange(device, spectrumDoc, spectrumId, 0, spectrumDoc.shape[0]);
    expect(bins.data.length).toBe(spectrumDoc.shape[0]);
    const stats = done(await device.get('array-7'), 'statistics')[0]!.result as { channels: { count: number; min: number }[] };
    expect(stats.channels[0]).toMatchObject({ count: 256, min: 7 });
  }, 60_000);

  it('a worker process killed (SIGKILL) in the middle of decoding leaves half-written arrays; the step retried by another worker removes them and makes them again', async () => {
    const client = await database();
    const storage = new CouchStorage(client);
    // Stereo, 2^21 frames: two arrays, each written in several requests, long enough to be killed in the middle.
    const frames = 1 << 21;
    const tone = Float32Array.from({ length: frames * 2 }, (_, at) => 0.25 * Math.sin(at / 7));
    await storage.put('long', { portal_type: 'Data Stream', title: 'long.wav', reference: 'long', modification_date: '2026-01-01', content_type: 'audio/wav', status: 'complete' });
    await storage.putAttachment('long', 'data', encodeWav(tone, { channels: 2, sampleRate: 8000 }));
    const outputs = [stepOutputId('long', 'decode', 0), stepOutputId('long', 'decode', 1)];

    const doomed = runCli('server/worker.ts', ['--remote', client.url, '--id', 'doomed', '--lease-ms', '1500', '--poll-ms', '50'], server.admin);
    let left: Doc | undefined;
    for (let waited = 0; left === undefined; waited += 10) {
      const doc = await storage.get(outputs[0]!).catch(() => undefined);
      if (doc && doc['status'] === 'writing' && Number((doc['shape'] as number[])[0]) > 0) left = doc;
      else if (waited > 60_000) throw new Error(`the worker never started writing: ${doomed.output()}`);
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    doomed.child.kill('SIGKILL');
    await doomed.exit;
    const halfWritten = await storage.get(outputs[0]!);
    expect(halfWritten['status']).toBe('writing');
    expect(claimOf(await storage.get('long'))).toMatchObject({ worker: 'doomed', step: 'decode' });

    const decodeOnly = defaultOperations.filter((operation) => operation.name === 'decode');
    await new ChainWorker(client, decodeOnly, { worker: 'heir', leaseMs: 1500, pollMs: 50 }).run(new AbortController().signal, { untilIdle: true });
    const [decode, ...again] = done(await storage.get('long'), 'decode');
    expect(again).toEqual([]);
    expect(decode).toMatchObject({ worker: 'heir', result: { arrays: outputs } });
    const arrays = (await storage.allDocs({ include_docs: true })).rows.filter((row) => row.doc?.['source'] === 'long');
    expect(arrays.map((row) => row.id).sort()).toEqual(outputs);
    for (const row of arrays) {
      expect(row.doc!['status'], row.id).not.toBe('writing');
      const array = await getDataArray(storage, row.id);
      expect(array.shape[0]).toBe(frames);
      const head = await readRange(storage, array, row.id, frames - 4, frames);
      expect(head.data.length).toBe(4);
    }
  }, 120_000);

  it('retries a failing step with backoff and marks it failed with its error after the retries', async () => {
    const client = await database();
    await new CouchStorage(client).put('n', { portal_type: 'Notebook', title: 'n' });
    let attempts = 0;
    const failing: Operation = {
      name: 'flaky',
      follows: ['', 'flaky'],
      applies: (doc) => doc['portal_type'] === 'Notebook',
      run: async () => {
        attempts += 1;
        throw new Error('sensor offline');
      },
    };
    const worker = new ChainWorker(client, [failing], { worker: 'w', retries: 2, retryBaseMs: 20, pollMs: 10 });
    await worker.run(new AbortController().signal, { untilIdle: true });
    const steps = (await new CouchStorage(client).get('n'))['process'] as ProcessStep[];
    expect(attempts).toBe(3);
    expect(steps.map((step) => [step.name, step.status, step.worker, step.error])).toEqual(Array.from({ length: 3 }, () => ['flaky', 'failed', 'w', 'sensor offline']));
    // Backoff: each retry waited at least base · 4^(n-1) after the failure before it.
    expect(Date.parse(steps[1]!.started) - Date.parse(steps[0]!.finished!)).toBeGreaterThanOrEqual(20);
    expect(Date.parse(steps[2]!.started) - Date.parse(steps[1]!.finished!)).toBeGreaterThanOrEqual(80);
  });
});
