// Browser side of `npm run bench:storage`: the local storage with its bytes in OPFS and with them in IndexedDB chunks,
// against raw idb doing the same work, in one run.
import { openDB } from 'idb';
import { IndexedDBStorage, type BytesPreference } from '../storage/indexeddb/indexeddb-storage';
import { closeDatabase } from '../storage/indexeddb/database';

const MiB = 1024 * 1024;

interface Options {
  writeMiB: number;
  rangeReads: number;
  queryDocs: number;
}

export async function run({ writeMiB, rangeReads, queryDocs }: Options) {
  const payload = new Blob([randomBytes(MiB)]);
  const whole = new Blob(Array.from({ length: writeMiB }, () => payload));

  // Raw anchor: one transaction putting writeMiB Blobs of 1 MiB.
  const rawDb = await openDB(`bench-raw-${Date.now()}`, 1, { upgrade: (db) => db.createObjectStore('chunks') });
  const rawStart = performance.now();
  const tx = rawDb.transaction('chunks', 'readwrite');
  for (let index = 0; index < writeMiB; index += 1) void tx.store.put(payload, index);
  await tx.done;
  const rawMs = performance.now() - rawStart;

  const opfs = await attachmentFigures('opfs', whole, payload, writeMiB, rangeReads);
  const idb = await attachmentFigures('indexeddb', whole, payload, writeMiB, rangeReads);
  // The anchor for range reads: a raw get of one chunk, 4 KiB of it read.
  const rawGetTimes: number[] = [];
  for (let index = 0; index < rangeReads; index += 1) {
    const began = performance.now();
    const chunk = await rawDb.get('chunks', Math.floor(Math.random() * writeMiB));
    await (chunk as Blob).slice(0, 4096).arrayBuffer();
    rawGetTimes.push(performance.now() - began);
  }

  // Query over many documents: indexed (portal_type:=) vs a scan (like-match on the same key).
  const queryStorage = new IndexedDBStorage({ name: `bench-query-${Date.now()}` });
  const types = ['Data Array', 'Data Stream', 'Image', 'Notebook', 'Error Report'];
  const batch = 5000;
  for (let first = 0; first < queryDocs; first += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, queryDocs - first) }, (_, offset) => {
        const index = first + offset;
        // 1% are images: the indexed query reads those only.
        const portal_type = index % 100 === 0 ? 'Image' : (types[index % types.length] === 'Image' ? 'Notebook' : types[index % types.length]);
        return queryStorage.put(`doc-${index}`, { portal_type, title: `document ${index}`, modification_date: new Date(index * 1000).toISOString() });
      }),
    );
  }
  const indexedTimes: number[] = [];
  const scanTimes: number[] = [];
  let indexedCount = 0;
  let scanCount = 0;
  for (let round = 0; round < 3; round += 1) {
    let began = performance.now();
    indexedCount = (await queryStorage.allDocs({ query: 'portal_type:="Image"' })).total_rows;
    indexedTimes.push(performance.now() - began);
    began = performance.now();
    scanCount = (await queryStorage.allDocs({ query: 'portal_type:"Image"' })).total_rows;
    scanTimes.push(performance.now() - began);
  }
  if (indexedCount !== scanCount) throw new Error(`indexed ${indexedCount} ≠ scan ${scanCount}`);

  rawDb.close();
  await closeDatabase(queryStorage.name);
  return {
    writeMiB,
    rawMBps: writeMiB / (rawMs / 1000),
    opfs,
    idb,
    rawChunkGetMs: median(rawGetTimes),
    queryDocs,
    matches: indexedCount,
    indexedMs: median(indexedTimes),
    scanMs: median(scanTimes),
  };
}

/** putAttachment of `whole`, appends of 1 MiB `payload`s, random 4 KiB range reads: MB/s and the median read in ms. */
async function attachmentFigures(bytes: BytesPreference, whole: Blob, payload: Blob, writeMiB: number, rangeReads: number) {
  const storage = new IndexedDBStorage({ name: `bench-storage-${bytes}-${Date.now()}`, bytes });
  await storage.put('a', { title: 'bench' });
  await storage.bytesStore(); // the worker's start and the one-time probe are not the write's
  const putStart = performance.now();
  await storage.putAttachment('a', 'data', whole);
  const putMs = performance.now() - putStart;

  await storage.put('b', {});
  const appendStart = performance.now();
  for (let index = 0; index < writeMiB; index += 1) await storage.appendAttachment('b', 'data', payload);
  const appendMs = performance.now() - appendStart;

  const size = writeMiB * MiB;
  const rangeTimes: number[] = [];
  for (let index = 0; index < rangeReads; index += 1) {
    const start = Math.floor(Math.random() * (size - 4096));
    const began = performance.now();
    const read = await storage.getAttachment('a', 'data', { start, end: start + 4096, format: 'arraybuffer' });
    rangeTimes.push(performance.now() - began);
    if (read.byteLength !== 4096) throw new Error('short read');
  }
  // Whole 8 MiB ranges, as Welch and sync read.
  const wideStart = performance.now();
  for (let start = 0; start < size; start += 8 * MiB) await storage.getAttachment('b', 'data', { start, end: start + 8 * MiB, format: 'arraybuffer' });
  const wideMs = performance.now() - wideStart;
  await storage.remove('a');
  await storage.remove('b');
  await closeDatabase(storage.name);
  return { putMBps: writeMiB / (putMs / 1000), appendMBps: writeMiB / (appendMs / 1000), range4kMs: median(rangeTimes), read8MiBMBps: writeMiB / (wideMs / 1000) };
}

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, offset + 65536));
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
