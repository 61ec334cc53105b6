// Our side of `npm run bench:sync` (loaded by bench/sync.mjs through Vite, in Node): push and pull documents and array
// bytes with our replicator, a sync with nothing to do, and a sync resumed after a kill.
import { MemoryStorage, QueryStorage, UuidStorage } from '../storage';
import { CouchClient } from '../storage/remote/couch-client';
import { CouchPeer, MemorySyncState, Replicator, StoragePeer } from '../storage/replicate';

export const ARRAY_BYTES = 10 * 1024 * 1024;

export function payload(index: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: ARRAY_BYTES }, (_, at) => (at * 31 + index) & 0xff);
}

const seconds = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

export async function run({ url, resumeUrl, docs, megabytes }: { url: string; resumeUrl: string; docs: number; megabytes: number }) {
  await new CouchClient({ url }).create();
  const device = new QueryStorage(new UuidStorage(new MemoryStorage()));
  for (let index = 0; index < docs; index += 1) await device.put(`doc-${index}`, { portal_type: 'Notebook', title: `note ${index}`, n: index });
  const replicator = (storage: QueryStorage, name: string) =>
    new Replicator({ local: new StoragePeer(storage, { name }), remote: new CouchPeer(new CouchClient({ url })), state: new MemorySyncState(), batchSize: 500, pullChunks: () => true });
  const pusher = replicator(device, 'pusher');
  const docsPush = await seconds(() => pusher.sync());
  const noopMs = (await seconds(() => pusher.sync())) * 1000;
  const puller = replicator(new QueryStorage(new UuidStorage(new MemoryStorage())), 'puller');
  const docsPull = await seconds(() => puller.sync());
  for (let index = 0; index < megabytes / 10; index += 1) {
    await device.put(`array-${index}`, { portal_type: 'Data Array', title: `array ${index}` });
    await device.putAttachment(`array-${index}`, 'data', payload(index));
  }
  const bytesPush = await seconds(() => pusher.sync());
  const bytesPull = await seconds(() => puller.sync());

  // Killed after its second batch of 100, then resumed: how many batches go again?
  const resumeDevice = new QueryStorage(new UuidStorage(new MemoryStorage()));
  for (let index = 0; index < 2000; index += 1) await resumeDevice.put(`r-${index}`, { n: index });
  await new CouchClient({ url: resumeUrl }).create();
  const resumer = new Replicator({ local: new StoragePeer(resumeDevice, { name: 'resume' }), remote: new CouchPeer(new CouchClient({ url: resumeUrl })), state: new MemorySyncState(), batchSize: 100 });
  const controller = new AbortController();
  let batchesBeforeKill = 0;
  await resumer
    .sync({
      signal: controller.signal,
      onProgress: (progress) => {
        batchesBeforeKill = progress.batches;
        if (progress.batches >= 2) controller.abort();
      },
    })
    .catch(() => undefined);
  const resumed = await resumer.sync();
  // Documents pushed again beyond those the killed sync had not reached, in batches of 100.
  const resentDocs = Math.max(0, resumed.pushed - (2000 - batchesBeforeKill * 100));
  return { docsPush, docsPull, noopMs, bytesPush, bytesPull, batchesBeforeKill, resentBatches: Math.ceil(resentDocs / 100) };
}
