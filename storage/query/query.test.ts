import { describe, expect, it } from 'vitest';
import { isStorageError } from '../storage-error';
import { MemoryStorage } from '../memory/memory-storage';
import { QueryStorage } from './query-storage';
import type { Doc } from '../types';

const docs: Record<string, Doc> = {
  a: { portal_type: 'Data Array', title: 'Pump North', size: 10, date: '2024-05-03T10:20:00Z', tags: ['field', 'pump'] },
  b: { portal_type: 'Data Array', title: 'pump south', size: 200, date: '2024-06-01T00:00:00Z', tags: ['lab'] },
  c: { portal_type: 'Data Stream', title: 'Valve "7"', size: 3, date: '2023-12-31T23:59:59Z' },
  d: { portal_type: 'Image', title: '50% load_test', reference: 'img-1' },
};

async function storage(keySchema = {}) {
  const memory = new MemoryStorage();
  for (const [id, doc] of Object.entries(docs)) await memory.put(id, doc);
  return new QueryStorage(memory, keySchema);
}

async function ids(query: string, keySchema = {}): Promise<string[]> {
  const result = await (await storage(keySchema)).allDocs({ query });
  return result.rows.map((row) => row.id).sort();
}

describe('jIO query language', () => {
  const table: [string, string[]][] = [
    ['portal_type:"Data Array"', ['a', 'b']],
    ['portal_type:"data array"', ['a', 'b']],
    ['portal_type:="data array"', []],
    ['portal_type:="Data Array"', ['a', 'b']],
    ['title:%pump%', ['a', 'b']],
    ['title:pump_south', ['b']],
    ['title:"Valve \\"7\\""', ['c']],
    ['title:"50\\% load%"', ['d']],
    ['size:>10', ['b']],
    ['size:>=10', ['a', 'b']],
    ['size:<10', ['c']],
    ['size:<=3', ['c']],
    ['size:!=10', ['b', 'c']],
    ['size:=200', ['b']],
    ['portal_type:"Data Array" AND size:<100', ['a']],
    ['portal_type:"Data Array" size:<100', ['a']],
    ['portal_type:Image OR size:3', ['c', 'd']],
    ['portal_type:Image OR portal_type:"Data Stream" AND size:3', ['c', 'd']],
    ['(portal_type:Image OR portal_type:"Data Stream") AND size:3', ['c']],
    ['NOT portal_type:"Data Array"', ['c', 'd']],
    ['NOT NOT size:3', ['c']],
    ['portal_type:(Image OR "Data Stream")', ['c', 'd']],
    ['tags:lab', ['b']],
    ['tags:%u%', ['a']],
    ['pump%', ['a', 'b']],
    ['img-1', ['d']],
    ['date:2024', ['a', 'b']],
    ['date:2024-05', ['a']],
    ['date:>2024-05', ['b']],
    ['date:>=2024-05-03', ['a', 'b']],
    ['date:<2024', ['c']],
    ['date:<="2024-05-03T10:20"', ['a', 'c']],
    ['date:!=2024-05', ['b', 'c']],
    ['reference:img-1', ['d']],
    ['reference:!=x', ['d']],
  ];
  for (const [query, expected] of table) {
    it(`${query} → ${expected.join(', ') || 'nothing'}`, async () => {
      expect(await ids(query)).toEqual(expected);
    });
  }

  const malformed: [string, number][] = [
    ['title:"open', 6],
    ['(title:a', 8],
    ['title:a)', 7],
    ['AND title:a', 0],
    ['title:', 6],
    ['title:>=', 8],
    ['a:(b:c)', 4],
    ['title:a OR', 10],
    ['date:<=2024-05-03T10:20', 20],
  ];
  for (const [query, position] of malformed) {
    it(`rejects ${query} with 400 at position ${position}`, async () => {
      const error = await ids(query).catch((failure: unknown) => failure);
      expect(isStorageError(error, 400)).toBe(true);
      expect((error as { details: { position: number } }).details.position).toBe(position);
    });
  }

  it('refuses nesting past 100 levels with a 400 where it goes too deep, not with a stack overflow', async () => {
    const deep: [string, number][] = [
      ['('.repeat(101) + 'a' + ')'.repeat(101), 100],
      ['NOT '.repeat(20_000) + 'a', 400],
      ['title:(' + '('.repeat(5_000) + 'a', 106],
    ];
    for (const [query, position] of deep) {
      const error = await ids(query).catch((failure: unknown) => failure);
      expect(isStorageError(error, 400) && error.details['position'], query.slice(0, 12)).toBe(position);
    }
  });

  it('accepts nesting up to 100 levels', async () => {
    expect(await ids('('.repeat(100) + 'title:pump%' + ')'.repeat(100))).toEqual(['a', 'b']);
    expect(await ids('NOT '.repeat(100) + 'title:pump%')).toEqual(['a', 'b']);
  });

  it('matches runs of % in linear time (a backtracking regex took seconds per document)', async () => {
    const memory = new MemoryStorage();
    await memory.put('long', { title: 'a'.repeat(60) });
    await memory.put('hash', { title: `${'a'.repeat(60)}#` });
    const query = new QueryStorage(memory);
    const found = async (text: string) => (await query.allDocs({ query: text })).rows.map((row) => row.id).sort();
    expect(await found('title:%%%%%%#')).toEqual(['hash']);
    expect(await found('title:"%a%a%a%a%a%a%a%a%b"')).toEqual([]);
    expect(await found('title:%_%_%_%_%_%_%_%_%_%#')).toEqual(['hash']);
    expect(await found('title:%A%#%')).toEqual(['hash']);
  });

  it('uses key_schema to read from another property and to cast before comparing', async () => {
    const schema = {
      year: { readFrom: 'date', castTo: (value: unknown) => (typeof value === 'number' ? value : Number(String(value).slice(0, 4))) },
      name: { readFrom: 'title', equalMatch: (a: unknown, b: unknown) => String(a).toLowerCase().startsWith(String(b).toLowerCase()) },
    };
    expect(await ids('year:2024', schema)).toEqual(['a', 'b']);
    expect(await ids('year:<2024', schema)).toEqual(['c']);
    expect(await ids('name:valve', schema)).toEqual(['c']);
  });
});

describe('sort_on, select_list and limit', () => {
  it('sorts on several keys, missing values last, then limits and selects', async () => {
    const result = await (await storage()).allDocs({
      sort_on: [['portal_type', 'ascending'], ['size', 'descending']],
      select_list: ['title', 'size'],
      limit: [1, 2],
    });
    expect(result.rows).toEqual([
      { id: 'a', value: { title: 'Pump North', size: 10 } },
      { id: 'c', value: { title: 'Valve "7"', size: 3 } },
    ]);
    expect(result.total_rows).toBe(2);
  });

  it('sorts numbers as numbers and refuses bad orders and limits', async () => {
    const query = await storage();
    const sorted = await query.allDocs({ query: 'size:>0', sort_on: [['size', 'ascending']] });
    expect(sorted.rows.map((row) => row.id)).toEqual(['c', 'a', 'b']);
    await expect(query.allDocs({ sort_on: [['size', 'up' as 'ascending']] })).rejects.toMatchObject({ status: 400 });
    await expect(query.allDocs({ limit: [-1, 2] })).rejects.toMatchObject({ status: 400 });
  });
});
