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
});
