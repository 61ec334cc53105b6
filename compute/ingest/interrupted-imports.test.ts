import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { encodeWav } from './wav-encoder';
import { importFile } from './import-file';
import { cleanInterruptedImports } from './interrupted-imports';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

/** A file whose reading stops for good after `bytes` (as when its tab is closed mid-import); `stalled` resolves then. */
class StalledFile extends Blob {
  readonly stalled: Promise<void>;
  private readonly reached: () => void;

  constructor(
    private readonly content: Uint8Array<ArrayBuffer>,
    readonly name: string,
  ) {
    super([]);
    let reached = () => {};
    this.stalled = new Promise((resolve) => (reached = resolve));
    this.reached = reached;
  }

  override get size(): number {
    return this.content.length * 2; // it would have gone on
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let sent = 0;
    return new ReadableStream({
      pull: (controller) => {
        if (sent >= this.content.length) return this.reached(); // never answers again: the read stays pending
        controller.enqueue(this.content.slice(sent, sent + 65536));
        sent += 65536;
      },
    });
  }
}

const byStatus = async (storage: QueryStorage) => (await storage.allDocs({ include_docs: true })).rows.map(({ doc }) => `${String(doc!['portal_type'])} ${String(doc!['status'])}`).sort();

describe('imports killed mid-way', () => {
  it('are cleaned at the next start: their stream and arrays removed; another device’s import and finished ones stay', async () => {
    const storage = stack();
    const journal = new MemoryStorage();
    // Enough samples (2^23 frames: one append's worth) for the array to be created and appended to before the file stops.
    const file = new StalledFile(encodeWav(new Float32Array((1 << 23) + 10).fill(0.25), { bits: 8 }), 'pump.wav');
    void importFile(storage, file, { journal }); // never settles: the tab is "closed" while it waits for more bytes
    await file.stalled;
    await storage.put('synced', { portal_type: 'Data Stream', title: 'tablet B', status: 'importing' }); // being imported on another device
    await importFile(storage, Object.assign(new Blob([encodeWav([0.1, 0.2])]), { name: 'done.wav' }), { journal });
    expect(await byStatus(storage)).toEqual(['Data Array complete', 'Data Array writing', 'Data Stream complete', 'Data Stream importing', 'Data Stream importing']);

    expect(await cleanInterruptedImports(storage, journal)).toEqual(['pump.wav']);
    expect(await byStatus(storage)).toEqual(['Data Array complete', 'Data Stream complete', 'Data Stream importing']);
    expect((await storage.get('synced'))['title']).toBe('tablet B');
    expect((await journal.allDocs()).total_rows).toBe(0);
    expect(await cleanInterruptedImports(storage, journal)).toEqual([]);
  });

  it('leave no journal entry when they end, well or not', async () => {
    const storage = stack();
    const journal = new MemoryStorage();
    await importFile(storage, Object.assign(new Blob([encodeWav([0.1, 0.2])]), { name: 'fine.wav' }), { journal });
    await expect(importFile(storage, Object.assign(new Blob(['a,b\n1\n']), { name: 'ragged.csv' }), { journal })).rejects.toThrow('ragged.csv (line 2)');
    const cancel = new AbortController();
    cancel.abort();
    await expect(importFile(storage, Object.assign(new Blob([encodeWav([0.1])]), { name: 'cancelled.wav' }), { journal, signal: cancel.signal })).rejects.toThrow();
    expect((await journal.allDocs()).total_rows).toBe(0);
    expect(await byStatus(storage)).toEqual(['Data Array complete', 'Data Stream complete']);
  });
});
