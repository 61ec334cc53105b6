// Browser side of `npm run bench:fft`: our FFT path (pffft with cached plans, as the spectra use it) against pffft-wasm
// (SIMD, float32), fft.js and ndarray-fft called directly, in one run; then a Welch spectrum of a large array read
// from IndexedDB chunk by chunk. Separately (see measureImportPart), the import of a large raw file against raw idb
// writes of the same bytes, and raw idb reads of them.
import FFT from 'fft.js';
import { openDB } from 'idb';
import ndarray from 'ndarray';
import PFFFT from '@echogarden/pffft-wasm/simd';
import { loadFastFft, powerSpectrum } from '../compute/fft/real-fft';
import { computeSpectrum } from '../compute/spectrum/array-spectrum';
import { createLocalStorage, IndexedDBStorage, QueryStorage, UuidStorage, type Storage } from '../storage';
import { appendSamples, createDataArray } from '../storage/arrays';
import { demoSamples } from '../compute/signals/demo-signal';
import { importFile } from '../compute/ingest/import-file';

interface Options {
  exponents: number[];
  welchSamples: number;
}

function timeIt(work: () => void, minimumMs = 300): number {
  work(); // warm up (plans, JIT)
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minimumMs || times.length < 5) {
    const t = performance.now();
    work();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export async function run(options: Options | ImportOptions) {
  if ('importPart' in options) return measureImportPart(options);
  const { exponents, welchSamples } = options;
  // ndarray-fft (through its dependencies) expects Node's `global`.
  (globalThis as { global?: unknown }).global = globalThis;
  const { default: ndarrayFft } = await import('ndarray-fft');
  const pffft = await PFFFT({ locateFile: () => '/node_modules/@echogarden/pffft-wasm/dist/simd/pffft.wasm' });
  const results: Record<string, number> = {};
  results['ours_uses_pffft'] = (await loadFastFft()) ? 1 : 0;
  for (const exponent of exponents) {
    const size = 2 ** exponent;
    const signal = Float64Array.from({ length: size }, (_, i) => Math.sin(i * 0.01) + Math.cos(i * 0.37));
    // As the spectra call it: a float32 frame (what Welch windows into), power added into a kept array.
    const frame = Float32Array.from(signal);
    const power = new Float64Array(size / 2 + 1);
    results[`ours_ms_${exponent}`] = timeIt(() => powerSpectrum(frame, power));

    const fftjs = new FFT(size);
    const out = fftjs.createComplexArray();
    results[`fftjs_ms_${exponent}`] = timeIt(() => fftjs.realTransform(out, signal));

    const setup = pffft._pffft_new_setup(size, 0); // 0 = real transform
    const input = pffft._pffft_aligned_malloc(size * 4);
    const output = pffft._pffft_aligned_malloc(size * 4);
    const work = pffft._pffft_aligned_malloc(size * 4); // without it pffft uses the (small) wasm stack
    const single = Float32Array.from(signal);
    results[`pffft_ms_${exponent}`] = timeIt(() => {
      pffft.HEAPF32.set(single, input >> 2);
      pffft._pffft_transform_ordered(setup, input, output, work, 0); // 0 = forward
    });
    pffft._pffft_aligned_free(input);
    pffft._pffft_aligned_free(output);
    pffft._pffft_aligned_free(work);
    pffft._pffft_destroy_setup(setup);

    if (exponent <= 20) {
      const real = new Float64Array(size);
      const imaginary = new Float64Array(size);
      results[`ndarray_ms_${exponent}`] = timeIt(() => {
        real.set(signal);
        imaginary.fill(0);
        ndarrayFft(1, ndarray(real), ndarray(imaginary));
      }, 100);
    }
    console.log(`2^${exponent} done`);
  }

  // The app's local storage (bytes in OPFS here), then the same with bytes in IndexedDB chunks as before.
  // The app's choice (one worker per core), then one worker only, on the same array.
  const local = createLocalStorage(`bench-fft-${Date.now()}`);
  [results['welch_s'], results['welch_one_worker_s']] = await welch(local, welchSamples, [undefined, 1]);
  results['welch_cores'] = Math.min(4, navigator.hardwareConcurrency || 1);
  [results['welch_idb_s']] = await welch(new QueryStorage(new UuidStorage(new IndexedDBStorage({ name: `bench-fft-idb-${Date.now()}`, bytes: 'indexeddb' }))), welchSamples, [undefined]);
  return results;
}

/** Seconds for Welch's spectrum of a `samples`-sample float32 array written first into `storage` (not timed), once per worker count asked. */
async function welch(storage: Storage, samples: number, workerCounts: Array<number | undefined>): Promise<number[]> {
  const id = await createDataArray(storage, { title: 'welch', dtype: 'float32', sampling_rate: 48000 });
  for (let start = 0; start < samples; start += 1 << 21) await appendSamples(storage, id, demoSamples(start, Math.min(1 << 21, samples - start), 1));
  const seconds: number[] = [];
  for (const workers of workerCounts) {
    const t = performance.now();
    const spectrum = await computeSpectrum(storage, id, { segment: 65536 }, { recordStep: false, ...(workers ? { workers } : {}) });
    seconds.push((performance.now() - t) / 1000);
    await storage.remove(spectrum);
  }
  await storage.remove(id); // its disk space back before the next part
  return seconds;
}

// ---------------------------------------------------------------------------------------------------------------------
// Raw import throughput: importFile of a float32 raw file (1 channel) against raw idb writes of the same bytes. Each
// part runs in a browser of its own (bench/fft.mjs): the bench's browser context is off the record, so IndexedDB and
// Blobs live in memory, capped at 500 MiB, and what an earlier part wrote is not given back even once deleted.

interface ImportOptions {
  importPart: 'raw-idb' | 'raw-opfs' | 'import' | 'import-idb';
  /** Size of the raw file (MiB). */
  importMiB: number;
}

const MiB = 1024 * 1024;

/** A raw file of `sizeMiB` MiB of float32 samples, generated piece by piece (a Blob of pieces: no one huge buffer). */
function rawFloat32File(sizeMiB: number): File {
  const pieces: Blob[] = [];
  const pieceBytes = 4 * MiB;
  for (let offset = 0; offset < sizeMiB * MiB; offset += pieceBytes) {
    const samples = new Float32Array(Math.min(pieceBytes, sizeMiB * MiB - offset) / 4);
    const first = offset / 4;
    for (let index = 0; index < samples.length; index += 1) samples[index] = Math.sin((first + index) * 0.001) + ((first + index) % 97) * 1e-3;
    pieces.push(new Blob([samples]));
  }
  return new File(pieces, 'bench.f32', { type: 'application/octet-stream' });
}

/**
 * The anchor: the file's bytes read as the import reads them (file.stream()), written with idb directly into one object
 * store as 1 MiB Blob chunks, one transaction per 8 chunks — what the app's storage does, without anything else.
 */
async function rawIdbWrite(file: File, name: string): Promise<void> {
  const db = await openDB(name, 1, { upgrade: (database) => database.createObjectStore('chunks') });
  const reader = file.stream().getReader();
  let piece = new Uint8Array(MiB);
  let filled = 0;
  let index = 0;
  let batch: Blob[] = [];
  const flush = async () => {
    const tx = db.transaction('chunks', 'readwrite');
    for (const chunk of batch) void tx.store.put(chunk, index++);
    batch = [];
    await tx.done;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let at = 0; at < value.length; ) {
      const take = Math.min(MiB - filled, value.length - at);
      piece.set(value.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === MiB) {
        batch.push(new Blob([piece]));
        piece = new Uint8Array(MiB);
        filled = 0;
        if (batch.length === 8) await flush();
      }
    }
  }
  if (filled > 0) batch.push(new Blob([piece.subarray(0, filled)]));
  if (batch.length > 0) await flush();
  db.close();
}

/** The anchor for reading: the chunks `rawIdbWrite` stored, read back 8 at a time (8 MiB, as Welch reads) as bytes. */
async function rawIdbRead(name: string): Promise<void> {
  const db = await openDB(name, 1);
  const count = await db.count('chunks');
  for (let first = 0; first < count; first += 8) {
    const chunks = (await db.getAll('chunks', IDBKeyRange.bound(first, first + 7))) as Blob[];
    await new Blob(chunks).arrayBuffer();
  }
  db.close();
}

/**
 * Times `work` while collecting garbage every 250 ms: the Blobs a write made stay in memory until V8 collects their
 * (tiny) wrappers, which it has no reason to do soon — without this, 256 MiB of file plus the writes' garbage hit the
 * cap ("NotReadableError"); a real profile would page them to disk instead. Both parts get the same treatment.
 */
async function timed(work: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const timer = setInterval(collectGarbage, 250);
  const started = performance.now();
  try {
    await work();
    return performance.now() - started;
  } finally {
    clearInterval(timer);
  }
}

/** One part, in a fresh browser: resolves to its throughput in MiB/s. */
async function measureImportPart({ importPart, importMiB }: ImportOptions): Promise<Record<string, number>> {
  const file = rawFloat32File(importMiB);
  const name = `bench-${importPart}-${Date.now()}`;
  if (importPart === 'import' || importPart === 'import-idb') {
    // The app's local storage (OPFS bytes where Chromium has them), or the same with bytes in IndexedDB as before.
    const storage = importPart === 'import' ? createLocalStorage(name) : new QueryStorage(new UuidStorage(new IndexedDBStorage({ name, bytes: 'indexeddb' })));
    const ms = await timed(() => importFile(storage, file, { rawFormat: { dtype: 'float32', channels: 1, littleEndian: true } }));
    console.log(`${importPart}: ${importMiB} MiB in ${(ms / 1000).toFixed(2)} s`);
    return { mb_per_s: importMiB / (ms / 1000) };
  }
  if (importPart === 'raw-opfs') return rawOpfs(file, name, importMiB);
  const ms = await timed(() => rawIdbWrite(file, name));
  const readMs = await timed(() => rawIdbRead(name));
  console.log(`raw idb: ${importMiB} MiB written in ${(ms / 1000).toFixed(2)} s, read back in ${(readMs / 1000).toFixed(2)} s`);
  return { mb_per_s: importMiB / (ms / 1000), read_mb_per_s: importMiB / (readMs / 1000) };
}

/** Raw OPFS writes and reads of the file's bytes, in a worker (bench/raw-opfs.worker.ts); MiB/s of each. */
async function rawOpfs(file: File, name: string, importMiB: number): Promise<Record<string, number>> {
  const worker = new Worker(new URL('./raw-opfs.worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<{ writeMs: number; readMs: number; error?: string }>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.postMessage({ file, name });
    });
    if (reply.error) throw new Error(`raw OPFS: ${reply.error}`);
    console.log(`raw opfs: ${importMiB} MiB written in ${(reply.writeMs / 1000).toFixed(2)} s, read back in ${(reply.readMs / 1000).toFixed(2)} s`);
    return { mb_per_s: importMiB / (reply.writeMs / 1000), read_mb_per_s: importMiB / (reply.readMs / 1000) };
  } finally {
    worker.terminate();
  }
}

/** Drops unreferenced Blobs now (bench/browser.mjs starts Chromium with --expose-gc). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
