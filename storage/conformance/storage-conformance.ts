import { describe, expect, it } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { conflict } from '../checks';
import { isStorageError, type StorageStatus } from '../storage-error';
import type { Change, Doc, Storage } from '../types';

export interface ConformanceSubject {
  storage: Storage;
  /** The storage's attachment chunk size, so range edges can be tested at chunk boundaries (default 1 MiB). */
  chunkSize?: number;
}

/**
 * The one conformance suite every storage runs (memory, indexeddb in Node and in Chromium, the composed stacks).
 * Parts a storage lacks the capability for are skipped, not failed. `make` gives a fresh, empty storage per test.
 */
export function describeStorageConformance(name: string, make: () => Promise<ConformanceSubject> | ConformanceSubject): void {
  describe(`${name} conforms to the Storage interface`, () => {
    const fresh = async () => {
      const subject = await make();
      return { ...subject, chunkSize: subject.chunkSize ?? 1024 * 1024 };
    };

    describe('documents', () => {
      it('puts, gets a copy, replaces and removes', async () => {
        const { storage } = await fresh();
        const doc = { title: 'pump', values: [1, 2], nested: { a: 'b' } };
        expect(await storage.put('a', doc)).toBe('a');
        const read = await storage.get('a');
        expect(read).toEqual(doc);
        read['title'] = 'changed by the caller';
        expect((await storage.get('a'))['title']).toBe('pump');
        await storage.put('a', { title: 'valve' });
        expect(await storage.get('a')).toEqual({ title: 'valve' });
        await storage.remove('a');
        await expectStatus(storage.get('a'), 404);
      });

      it('refuses empty ids and non-object documents with 400', async () => {
        const { storage } = await fresh();
        await expectStatus(storage.get(''), 400);
        await expectStatus(storage.put('', {}), 400);
        await expectStatus(storage.put('x', [] as unknown as Doc), 400);
        await expectStatus(storage.put('x', null as unknown as Doc), 400);
      });

      it('says 404 for missing documents', async () => {
        const { storage } = await fresh();
        await expectStatus(storage.get('missing'), 404);
        await expectStatus(storage.remove('missing'), 404);
        await expectStatus(storage.allAttachments('missing'), 404);
      });

      it('posts with a generated id when it can, else says 501', async () => {
        const { storage } = await fresh();
        if (!storage.hasCapacity('post')) {
          await expectStatus(storage.post({ a: 1 }), 501);
          return;
        }
        const first = await storage.post({ a: 1 });
        const second = await storage.post({ a: 2 });
        expect(first).not.toBe(second);
        expect(await storage.get(first)).toEqual({ a: 1 });
      });

      it('an aborted call rejects with AbortError and changes nothing', async () => {
        const { storage } = await fresh();
        const controller = new AbortController();
        controller.abort();
        await expect(storage.put('a', { x: 1 }, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
        await expectStatus(storage.get('a'), 404);
      });
    });

    describe('update (read-modify-write in one step)', () => {
      it('creates, changes, leaves and removes, resolving to what is stored', async () => {
        const { storage } = await fresh();
        const seen: (Doc | undefined)[] = [];
        expect(await storage.update('u', (current) => (seen.push(current), { n: 1 }))).toEqual({ n: 1 });
        expect(await storage.update('u', (current) => (seen.push(current), { n: Number(current?.['n']) + 1 }))).toEqual({ n: 2 });
        expect(await storage.get('u')).toEqual({ n: 2 });
        expect(await storage.update('u', () => undefined)).toEqual({ n: 2 });
        expect(await storage.update('missing', () => undefined)).toBeUndefined();
        await expectStatus(storage.get('missing'), 404);
        await storage.putAttachment('u', 'data', 'bytes');
        expect(await storage.update('u', () => null)).toBeUndefined();
        await expectStatus(storage.get('u'), 404);
        await expectStatus(storage.getAttachment('u', 'data'), 404);
        expect(await storage.update('u', () => null)).toBeUndefined(); // removing a missing document: nothing to do
        expect(seen).toEqual([undefined, { n: 1 }]);
      });

      it('gives the change a copy of the body and the attachments allAttachments lists', async () => {
        const { storage } = await fresh();
        await storage.put('u', { title: 'pump' });
        await storage.putAttachment('u', 'data', new Uint8Array([1, 2, 3]), { contentType: 'application/octet-stream' });
        let given: Readonly<Record<string, unknown>> = {};
        await storage.update('u', (current, attachments) => {
          given = attachments;
          current!['title'] = 'changed in place, not written';
          return undefined;
        });
        expect(given).toEqual(await storage.allAttachments('u'));
        expect(await storage.get('u')).toEqual({ title: 'pump' });
        expect(await storage.getAttachment('u', 'data', { format: 'text' })).toBe('\u0001\u0002\u0003'); // attachments kept by updates
      });

      it('applies racing updates one after the other: none is lost', async () => {
        const { storage } = await fresh();
        await storage.put('list', { items: [] });
        const writers = Array.from({ length: 12 }, (_, index) =>
          storage.update('list', (current) => ({ ...current, items: [...(current?.['items'] as number[]), index] })),
        );
        await Promise.all(writers);
        const items = (await storage.get('list'))['items'] as number[];
        expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index));
      });

      it('an update racing a put is applied before or after it, never on a stale copy', async () => {
        const { storage } = await fresh();
        await storage.put('d', { a: 1, b: 1 });
        await Promise.all([storage.put('d', { a: 2, b: 1 }), storage.update('d', (current) => ({ ...current, b: 2 }))]);
        expect([{ a: 2, b: 1 }, { a: 2, b: 2 }]).toContainEqual(await storage.get('d'));
      });

      it('a change that throws rejects with its own error (409 for a version it did not expect) and writes nothing', async () => {
        const { storage } = await fresh();
        await storage.put('c', { version: 2 });
        const refusal = conflict('c', 'Expected version 1: reload and try again.');
        const rejected = await storage
          .update('c', (current) => {
            if (current?.['version'] !== 1) throw refusal;
            return { version: 3 };
          })
          .catch((error: unknown) => error);
        expect(rejected).toBe(refusal);
        expect(isStorageError(rejected, 409)).toBe(true);
        const own = new TypeError('not a storage error');
        await expect(storage.update('c', () => {
          throw own;
        })).rejects.toBe(own);
        expect(await storage.get('c')).toEqual({ version: 2 });
      });

      it('refuses empty ids and non-object bodies with 400, and an aborted call with AbortError', async () => {
        const { storage } = await fresh();
        await expectStatus(storage.update('', () => ({})), 400);
        await expectStatus(storage.update('x', () => [] as unknown as Doc), 400);
        await expectStatus(storage.get('x'), 404);
        const controller = new AbortController();
        controller.abort();
        await expect(storage.update('x', () => ({ a: 1 }), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
        await expectStatus(storage.get('x'), 404);
      });
    });

    describe('listing', () => {
      it('lists every document, with bodies when asked', async () => {
        const { storage } = await fresh();
        if (!storage.hasCapacity('list')) return;
        await storage.put('b', { n: 2 });
        await storage.put('a', { n: 1 });
        const plain = await storage.allDocs();
        expect(plain.total_rows).toBe(2);
        expect(plain.rows.map((row) => row.id).sort()).toEqual(['a', 'b']);
        if (!storage.hasCapacity('include')) return;
        const withDocs = await storage.allDocs({ include_docs: true });
        expect(withDocs.rows.find((row) => row.id === 'b')?.doc).toEqual({ n: 2 });
      });
    });

    describe('attachments', () => {
      it('puts and reads back in every format, and keeps attachments when the document is replaced', async () => {
        const { storage } = await fresh();
        await storage.put('d', { title: 'x' });
        await storage.putAttachment('d', 'text', 'héllo', { contentType: 'text/plain' });
        await storage.putAttachment('d', 'json', JSON.stringify({ a: [1, 2] }), { contentType: 'application/json' });
        await storage.putAttachment('d', 'bytes', new Uint8Array([1, 2, 3]));
        await storage.put('d', { title: 'y' });
        expect(await storage.getAttachment('d', 'text', { format: 'text' })).toBe('héllo');
        expect(await storage.getAttachment('d', 'json', { format: 'json' })).toEqual({ a: [1, 2] });
        expect([...new Uint8Array(await storage.getAttachment('d', 'bytes', { format: 'arraybuffer' }))]).toEqual([1, 2, 3]);
        const blob = await storage.getAttachment('d', 'text');
        expect(blob.type).toBe('text/plain');
        const all = await storage.allAttachments('d');
        expect(Object.keys(all).sort()).toEqual(['bytes', 'json', 'text']);
        expect(all['bytes']?.length).toBe(3);
        expect(all['text']).toMatchObject({ length: 6, contentType: 'text/plain' });
      });

      it('reads byte ranges at the edges: start, chunk boundaries, across chunks, the last byte, past the end', async () => {
        const { storage, chunkSize } = await fresh();
        const size = chunkSize * 2 + 17;
        const bytes = pattern(size);
        await storage.put('r', {});
        await storage.putAttachment('r', 'data', bytes);
        const read = async (start?: number, end?: number) =>
          new Uint8Array(await storage.getAttachment('r', 'data', { format: 'arraybuffer', ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) }));
        const cases: [number | undefined, number | undefined][] = [
          [undefined, undefined],
          [0, 1],
          [0, chunkSize],
          [chunkSize - 1, chunkSize + 1],
          [chunkSize, chunkSize * 2],
          [5, size - 5],
          [size - 1, size],
          [size - 3, size + 100],
          [size + 10, size + 20],
          [7, 7],
        ];
        for (const [start, end] of cases) {
          const from = Math.min(start ?? 0, size);
          const to = Math.min(end ?? size, size);
          expect(firstDifference(await read(start, end), bytes.subarray(from, to)), `range [${start}, ${end})`).toBe(-1);
        }
        await expectStatus(read(5, 4), 400);
        await expectStatus(read(-1, 4), 400);
        await expectStatus(read(1.5, 4), 400);
      });

      it('appends only the tail, across chunk boundaries, and creates the attachment when missing', async () => {
        const { storage, chunkSize } = await fresh();
        if (!storage.hasCapacity('append')) {
          await storage.put('s', {});
          await expectStatus(storage.appendAttachment('s', 'data', 'x'), 501);
          return;
        }
        await storage.put('s', {});
        const whole = pattern(chunkSize * 2 + 3);
        const cuts = [0, 10, chunkSize - 1, chunkSize + 1, chunkSize * 2, whole.length];
        for (let index = 1; index < cuts.length; index += 1) {
          const size = await storage.appendAttachment('s', 'data', whole.slice(cuts[index - 1], cuts[index]), { contentType: 'application/octet-stream' });
          expect(size).toBe(cuts[index]);
        }
        const read = new Uint8Array(await storage.getAttachment('s', 'data', { format: 'arraybuffer' }));
        expect(firstDifference(read, whole)).toBe(-1);
        expect((await storage.allAttachments('s'))['data']?.length).toBe(whole.length);
      });

      it('replacing an attachment with a shorter one leaves none of the old bytes', async () => {
        const { storage, chunkSize } = await fresh();
        await storage.put('p', {});
        await storage.putAttachment('p', 'data', pattern(chunkSize * 2 + 5));
        await storage.putAttachment('p', 'data', new Uint8Array([9, 9]));
        expect([...new Uint8Array(await storage.getAttachment('p', 'data', { format: 'arraybuffer' }))]).toEqual([9, 9]);
        expect((await storage.allAttachments('p'))['data']?.length).toBe(2);
      });

      it('says 404 for missing attachments or documents, 400 for empty names, and removes attachments with the document', async () => {
        const { storage } = await fresh();
        await expectStatus(storage.putAttachment('nodoc', 'a', 'x'), 404);
        await storage.put('d', {});
        await expectStatus(storage.getAttachment('d', 'none'), 404);
        await expectStatus(storage.removeAttachment('d', 'none'), 404);
        await expectStatus(storage.putAttachment('d', '', 'x'), 400);
        await storage.putAttachment('d', 'a', 'x');
        await storage.removeAttachment('d', 'a');
        await expectStatus(storage.getAttachment('d', 'a'), 404);
        await storage.putAttachment('d', 'b', 'y');
        await storage.remove('d');
        await storage.put('d', {});
        await expectStatus(storage.getAttachment('d', 'b'), 404);
        expect(await storage.allAttachments('d')).toEqual({});
      });
    });

    describe('changes feed', () => {
      it('gives each changed document once, at its latest change, in order, with deletions', async () => {
        const { storage } = await fresh();
        if (!storage.hasCapacity('changes')) return;
        await storage.put('a', {});
        await storage.put('b', {});
        await storage.put('a', { again: true });
        await storage.put('c', {});
        await storage.remove('b');
        const changes = await firstValueFrom(storage.changes().pipe(toArray()));
        expect(changes.map(({ id, deleted }) => [id, deleted])).toEqual([
          ['a', false],
          ['c', false],
          ['b', true],
        ]);
        const seqs = changes.map((change) => Number(change.seq));
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        const since = await firstValueFrom(storage.changes({ since: changes[0]!.seq }).pipe(toArray()));
        expect(since.map((change) => change.id)).toEqual(['c', 'b']);
        const none = await firstValueFrom(storage.changes({ since: changes.at(-1)!.seq }).pipe(toArray()));
        expect(none).toEqual([]);
      });

      it('counts attachment writes as changes', async () => {
        const { storage } = await fresh();
        if (!storage.hasCapacity('changes')) return;
        await storage.put('a', {});
        await storage.put('b', {});
        await storage.putAttachment('a', 'x', 'data');
        const changes = await firstValueFrom(storage.changes().pipe(toArray()));
        expect(changes.map((change) => change.id)).toEqual(['b', 'a']);
      });

      it("since 'now' gives only changes made after subscribing", async () => {
        const { storage } = await fresh();
        if (!storage.hasCapacity('changes')) return;
        await storage.put('before', {});
        const changes: Change[] = [];
        const subscription = storage.changes({ since: 'now', live: true }).subscribe((change) => changes.push(change));
        await storage.put('after', {});
        await waitFor(() => changes.length === 1);
        subscription.unsubscribe();
        expect(changes.map((change) => change.id)).toEqual(['after']);
      });

      it('keeps going in live mode: recorded changes first, then new ones', async () => {
        const { storage } = await fresh();
        if (!storage.hasCapacity('changes')) return;
        await storage.put('old', {});
        const changes: Change[] = [];
        const subscription = storage.changes({ live: true }).subscribe((change) => changes.push(change));
        await waitFor(() => changes.length === 1);
        await storage.put('new1', {});
        await storage.remove('old');
        await waitFor(() => changes.length === 3);
        subscription.unsubscribe();
        expect(changes.map(({ id, deleted }) => [id, deleted])).toEqual([
          ['old', false],
          ['new1', false],
          ['old', true],
        ]);
      });
    });
  });
}

async function expectStatus(promise: Promise<unknown>, status: StorageStatus): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(isStorageError(error, status), `expected StorageError ${status}, got ${String(error)}`).toBe(true);
}

/** Bytes whose value depends on their offset, so a shifted range cannot pass for the right one. */
function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + (index >> 8)) & 0xff;
  return bytes;
}

/** Polls a condition (bounded: about 5 s), for feeds that deliver asynchronously. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

/** -1 when equal, else the first offset where the bytes differ (or the shorter length). */
function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  const length = Math.min(actual.length, expected.length);
  for (let index = 0; index < length; index += 1) if (actual[index] !== expected[index]) return index;
  return actual.length === expected.length ? -1 : length;
}
