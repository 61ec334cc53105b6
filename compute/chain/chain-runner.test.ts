import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage, type Doc, type ProcessStep, type Storage } from '../../storage';
import { WriteMeanwhile } from '../../storage/testing/write-meanwhile';
import { encodeWav } from '../ingest/wav-encoder';
import { ChainRunner } from './chain-runner';
import { defaultOperations } from './operations';
import type { Operation } from './operation';
import { stepOutputId } from './step-outputs';
import { createDataArray, appendSamples, getDataArray } from '../../storage/arrays';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out waiting for the chain');
}

const steps = async (storage: Storage, id: string) => ((await storage.get(id))['process'] as ProcessStep[] | undefined) ?? [];

/** A stream as it arrives by sync from another tablet: bytes and metadata, not decoded here yet. */
async function syncedStream(storage: Storage): Promise<string> {
  const id = await storage.post({ portal_type: 'Data Stream', title: 'tablet-2.wav', content_type: 'audio/wav', status: 'complete', reference: 'r', modification_date: '2026-01-01' });
  const tone = Array.from({ length: 8000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 500 * i) / 8000));
  await storage.putAttachment(id, 'data', encodeWav(tone, { sampleRate: 8000 }));
  return id;
}

describe('processing chain', () => {
  it('recording a step keeps what another writer saved while the step ran', async () => {
    const storage = new WriteMeanwhile(new MemoryStorage());
    await storage.put('a', { portal_type: 'Data Array', title: 'before', dtype: 'float32', shape: [3], pyramid: { base: 512, dtype: 'float32' } });
    await storage.putAttachment('a', 'data', Float32Array.of(1, 2, 3));
    // The user renames the array (another tab) just as the chain writes its statistics step.
    storage.arm('a', async (sub) => sub.put('a', { ...(await sub.get('a')), title: 'renamed meanwhile' }));
    await new ChainRunner(storage, defaultOperations, { state: new MemoryStorage() }).handle('a', false, new AbortController().signal);
    expect(storage.done).toBe(true);
    const doc = await storage.get('a');
    expect(doc['title']).toBe('renamed meanwhile');
    expect((doc['process'] as ProcessStep[]).map((step) => [step.name, step.status])).toEqual([['statistics', 'done']]);
  });

  it('a spectrum step killed half-way (its array left writing) is retried over it: the leftover is removed, one complete spectrum made', async () => {
    const storage = stack();
    const id = await storage.post({ portal_type: 'Data Array', title: 'signal', reference: 's', modification_date: '2026-01-01', dtype: 'float32', shape: [0], pyramid: { base: 512, dtype: 'float32' } });
    await storage.put(id, { ...(await storage.get(id)), source: 'stream', sampling_rate: 8000 });
    await appendSamples(storage, id, Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i / 3)));
    await storage.update(id, (doc) => doc && { ...doc, process: [{ name: 'statistics', status: 'done', started: '2026-01-01T00:00:00Z' }] });
    // What a tab closed in the middle of the step left: its output, still being written, and no step recorded.
    const leftover = stepOutputId(id, 'spectrum', 0);
    await createDataArray(storage, { id: leftover, title: 'half a spectrum', dtype: 'float64', writing: true, source: id });
    await appendSamples(storage, leftover, Float64Array.of(1, 2, 3));
    await new ChainRunner(storage, defaultOperations, { state: new MemoryStorage() }).handle(id, false, new AbortController().signal);
    const [step] = (await steps(storage, id)).filter((entry) => entry.name === 'spectrum');
    expect(step).toMatchObject({ status: 'done', result: { array: leftover } });
    const spectrum = await getDataArray(storage, leftover);
    expect(spectrum['status']).not.toBe('writing');
    expect(spectrum.title).toBe('Spectrum of signal');
    expect(spectrum.shape[0]).toBeGreaterThan(3);
    const spectra = (await storage.allDocs({ include_docs: true })).rows.filter((row) => row.doc?.['source'] === id);
    expect(spectra.map((row) => row.id)).toEqual([leftover]);
  });

  it('leaves an array synced without its data alone, and runs once the data is here', async () => {
    const storage = stack();
    const samples = Float32Array.from({ length: 1000 }, (_, i) => i);
    // As the replicator leaves a large array not kept offline: its document, none of its attachments.
    await storage.put('remote-array', { portal_type: 'Data Array', title: 'on the server', dtype: 'float32', shape: [1000, 1], pyramid: { base: 512, dtype: 'float32' } });
    const runner = new ChainRunner(storage, defaultOperations, { state: new MemoryStorage() });
    await runner.handle('remote-array', false, new AbortController().signal);
    expect(await steps(storage, 'remote-array')).toEqual([]);
    await storage.putAttachment('remote-array', 'data', samples);
    await runner.handle('remote-array', false, new AbortController().signal);
    expect((await steps(storage, 'remote-array')).map((step) => [step.name, step.status])).toEqual([['statistics', 'done']]);
  });

  it('keeps statistics of the finite values, counting NaN and ±Infinity apart (a dB spectrum has -Infinity bins)', async () => {
    const storage = stack();
    await storage.put('db', { portal_type: 'Data Array', title: 'dB', dtype: 'float64', shape: [5, 1], pyramid: { base: 512, dtype: 'float64' } });
    await storage.putAttachment('db', 'data', Float64Array.of(-20, -Infinity, NaN, -40, Infinity));
    await new ChainRunner(storage, defaultOperations, { state: new MemoryStorage() }).handle('db', false, new AbortController().signal);
    const [statistics] = await steps(storage, 'db');
    expect((statistics!.result as { channels: unknown[] }).channels[0]).toEqual({ count: 2, nan: 1, infinite: 2, min: -40, max: -20, mean: -30, std: expect.closeTo(Math.SQRT2 * 10, 6), rms: expect.closeTo(Math.sqrt(1000), 6) });
  });

  it('decodes a synced stream, then computes statistics and the spectrum of its array, each step recorded once', async () => {
    const storage = stack();
    const controller = new AbortController();
    const runner = new ChainRunner(storage, defaultOperations, { state: new MemoryStorage() });
    const running = runner.run(controller.signal);
    const streamId = await syncedStream(storage);
    await until(async () => (await steps(storage, streamId)).some((step) => step.name === 'decode' && step.status === 'done'));
    const decode = (await steps(storage, streamId)).find((step) => step.name === 'decode')!;
    const arrayId = (decode.result as { arrays: string[] }).arrays[0]!;
    await until(async () => (await steps(storage, arrayId)).filter((step) => step.status === 'done').length === 2);
    const arraySteps = await steps(storage, arrayId);
    expect(arraySteps.map((step) => step.name)).toEqual(['statistics', 'spectrum']);
    const stats = (arraySteps[0]!.result as { channels: { count: number; max: number; rms: number }[] }).channels[0]!;
    expect(stats.count).toBe(8000);
    expect(stats.max).toBeCloseTo(0.5, 3);
    expect(stats.rms).toBeCloseTo(0.5 / Math.SQRT2, 3);
    const spectrumId = (arraySteps[1]!.result as { array: string }).array;
    expect((await storage.get(spectrumId))['peak']).toMatchObject({ frequency: expect.closeTo(500, 0) });
    controller.abort();
    await running;
  });

  it('resumes from its checkpoint after a restart, without running finished steps again', async () => {
    const storage = stack();
    const state = new MemoryStorage();
    let runs = 0;
    const counting: Operation = { name: 'count', applies: (doc: Doc) => doc['portal_type'] === 'Notebook', run: async () => ++runs };
    const first = new AbortController();
    const running = new ChainRunner(storage, [counting], { state }).run(first.signal);
    await storage.put('a', { portal_type: 'Notebook' });
    await until(async () => (await steps(storage, 'a')).some((step) => step.status === 'done'));
    first.abort();
    await running;
    await storage.put('b', { portal_type: 'Notebook' }); // while the app was closed
    const second = new AbortController();
    const resumed = new ChainRunner(storage, [counting], { state }).run(second.signal);
    await until(async () => (await steps(storage, 'b')).some((step) => step.status === 'done'));
    second.abort();
    await resumed;
    expect(runs).toBe(2);
  });

  it('records failures, retries with backoff, gives up after the retries, and runs again when asked', async () => {
    const storage = stack();
    let attempts = 0;
    let healthy = false;
    const flaky: Operation = {
      name: 'flaky',
      applies: (doc: Doc) => doc['portal_type'] === 'Notebook',
      run: async () => {
        attempts += 1;
        if (!healthy) throw new Error('sensor offline');
        return 'ok';
      },
    };
    const controller = new AbortController();
    const runner = new ChainRunner(storage, [flaky], { state: new MemoryStorage(), retries: 2, retryBaseMs: 5 });
    const running = runner.run(controller.signal);
    await storage.put('n', { portal_type: 'Notebook' });
    await until(async () => (await steps(storage, 'n')).filter((step) => step.status === 'failed').length === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(3); // the first try and two retries, then it stops
    expect((await steps(storage, 'n'))[0]).toMatchObject({ name: 'flaky', status: 'failed', error: 'sensor offline' });
    healthy = true;
    await runner.rerun('n', 'flaky');
    await until(async () => (await steps(storage, 'n')).some((step) => step.status === 'done'));
    controller.abort();
    await running;
  });
});
