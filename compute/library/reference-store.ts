// Reading references from a Storage: the whole bibliography, one by id, and the ones cited by key (what a markdown
// cell's citations look up: one query on the indexed `reference` field for all of a cell's keys).
import type { Storage } from '../../storage';
import { familyName, referenceOf, type ReferenceDocument } from './reference-document';

interface Options {
  signal?: AbortSignal;
}

export interface ListedReference {
  id: string;
  reference: ReferenceDocument;
}

export type ReferenceSort = 'author' | 'year' | 'year-descending';

export async function listReferences(storage: Storage, options: Options = {}): Promise<ListedReference[]> {
  const { rows } = await storage.allDocs({ query: 'portal_type:="Reference"', include_docs: true, ...(options.signal ? { signal: options.signal } : {}) });
  return rows.flatMap((row) => {
    const reference = row.doc ? referenceOf(row.doc) : undefined;
    return reference ? [{ id: row.id, reference }] : [];
  });
}

/** The references with these citation keys, by key (keys not found are absent). */
export async function referencesByKey(storage: Storage, keys: readonly string[], options: Options = {}): Promise<Map<string, ListedReference>> {
  const found = new Map<string, ListedReference>();
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return found;
  const quoted = wanted.map((key) => `reference:=${JSON.stringify(key)}`).join(' OR ');
  const { rows } = await storage.allDocs({ query: `portal_type:="Reference" AND (${quoted})`, include_docs: true, ...(options.signal ? { signal: options.signal } : {}) });
  for (const row of rows) {
    const reference = row.doc ? referenceOf(row.doc) : undefined;
    if (reference) found.set(reference.reference, { id: row.id, reference });
  }
  return found;
}

/** Words anywhere (key, title, authors, year, other fields), every word required; sorted as asked. */
export function searchReferences(listed: readonly ListedReference[], text: string, sort: ReferenceSort = 'author'): ListedReference[] {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const found = listed.filter(({ reference }) => {
    const all = [reference.reference, reference.title, reference.year, ...reference.authors, ...Object.values(reference.fields)].join('\n').toLowerCase();
    return words.every((word) => all.includes(word));
  });
  const author = (a: ListedReference, b: ListedReference) => (familyName(a.reference.authors[0] ?? '') || '\uffff').localeCompare(familyName(b.reference.authors[0] ?? '') || '\uffff') || a.reference.year.localeCompare(b.reference.year);
  const year = (a: ListedReference, b: ListedReference) => a.reference.year.localeCompare(b.reference.year) || author(a, b);
  const bySort = { author, year, 'year-descending': (a: ListedReference, b: ListedReference) => year(b, a) };
  return found.sort(bySort[sort]);
}
