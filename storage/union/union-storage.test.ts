import { describe, expect, it } from 'vitest';
import { describeStorageConformance } from '../conformance/storage-conformance';
import { MemoryStorage } from '../memory/memory-storage';
import { QueryStorage } from '../query/query-storage';
import { UnionStorage } from './union-storage';

describeStorageConformance('query over union of two memory storages', () => ({
  storage: new QueryStorage(new UnionStorage([new MemoryStorage(), new MemoryStorage()])),
}));

describe('union storage', () => {
  it('reads from the first storage having the document, writes to the first, lists both', async () => {
    const first = new MemoryStorage();
    const second = new MemoryStorage();
    await second.put('old', { from: 'second' });
    await second.put('both', { from: 'second' });
    await first.put('both', { from: 'first' });
    const union = new QueryStorage(new UnionStorage([first, second]));
    expect(await union.get('old')).toEqual({ from: 'second' });
    expect(await union.get('both')).toEqual({ from: 'first' });
    await union.put('new', { from: 'union' });
    expect(await first.get('new')).toEqual({ from: 'union' });
    const listed = await union.allDocs({ include_docs: true, sort_on: [['from', 'ascending']] });
    expect(listed.rows.map((row) => [row.id, row.doc?.['from']])).toEqual([
      ['both', 'first'],
      ['old', 'second'],
      ['new', 'union'],
    ]);
  });

  it('updates in the first storage, starting from a later storage’s copy when only that one has the document', async () => {
    const first = new MemoryStorage();
    const second = new MemoryStorage();
    await second.put('old', { from: 'second', edits: 0 });
    const union = new UnionStorage([first, second]);
    const bump = (current: Record<string, unknown> | undefined) => ({ ...current, edits: Number(current?.['edits']) + 1 });
    expect(await union.update('old', bump)).toEqual({ from: 'second', edits: 1 });
    expect(await union.update('old', bump)).toEqual({ from: 'second', edits: 2 });
    expect(await first.get('old')).toEqual({ from: 'second', edits: 2 });
    expect(await second.get('old')).toEqual({ from: 'second', edits: 0 }); // later storages are only read
    expect(await union.update('none', (current) => current && bump(current))).toBeUndefined();
  });
});
