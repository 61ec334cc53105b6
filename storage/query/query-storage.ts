import { throwIfAborted } from '../checks';
import { StorageError } from '../storage-error';
import { StorageWrapper } from '../storage-wrapper';
import type { AllDocsOptions, AllDocsResult, AllDocsRow, Capability, Doc, SortOrder, Storage } from '../types';
import { matchesQuery, order, type KeySchema } from './query-match';
import { parseQuery, type QueryNode } from './query-parser';

const listing: Capability[] = ['query', 'select', 'sort', 'limit', 'include'];

/**
 * Gives query, sort, select and limit to any storage that can list documents. When the storage below can run the
 * query itself (capability 'query', e.g. IndexedDB using an index), the work is handed down; otherwise documents are
 * read once and the query, sort, selection and limit are applied here. See query-parser.ts and query-match.ts for the
 * language and its matching rules.
 */
export class QueryStorage extends StorageWrapper {
  constructor(
    sub: Storage,
    private readonly keySchema: KeySchema = {},
  ) {
    super(sub);
  }

  override hasCapacity(name: Capability): boolean {
    return listing.includes(name) ? this.sub.hasCapacity('list') : this.sub.hasCapacity(name);
  }

  override async allDocs(options: AllDocsOptions = {}): Promise<AllDocsResult> {
    throwIfAborted(options.signal);
    const { query, sort_on, select_list, limit, include_docs, signal } = options;
    const node = query ? parseQuery(query) : undefined; // a malformed query fails before any read
    checkLimit(limit);
    if (Object.keys(this.keySchema).length === 0 && listing.every((name) => this.sub.hasCapacity(name))) {
      return this.sub.allDocs(options);
    }
    const needsDocs = node !== undefined || sort_on !== undefined || select_list !== undefined || include_docs === true;
    const listed = await this.sub.allDocs(needsDocs ? { include_docs: true, ...(signal ? { signal } : {}) } : signal ? { signal } : {});
    const rows = needsDocs ? await this.withDocs(listed.rows, signal) : listed.rows;
    return listRows(rows, options, node, this.keySchema);
  }

  /** Storages that ignore include_docs still give the documents: read the missing ones. */
  private async withDocs(rows: AllDocsRow[], signal: AbortSignal | undefined): Promise<AllDocsRow[]> {
    return Promise.all(rows.map(async (row) => (row.doc ? row : { ...row, doc: await this.sub.get(row.id, signal ? { signal } : {}) })));
  }
}

/**
 * Applies a parsed query, sort_on, limit and select_list to rows that carry their documents (`doc`), the way every
 * storage that lists by itself answers allDocs.
 */
export function listRows(rows: AllDocsRow[], options: AllDocsOptions, node: QueryNode | undefined, keySchema: KeySchema = {}): AllDocsResult {
  const { sort_on, select_list, limit, include_docs } = options;
  checkLimit(limit);
  let selected = node ? rows.filter((row) => matchesQuery(node, row.doc as Doc, keySchema)) : rows;
  if (sort_on && sort_on.length > 0) selected = sortRows(selected, sort_on);
  if (limit) selected = selected.slice(limit[0], limit[1] === undefined ? undefined : limit[0] + limit[1]);
  const result = selected.map((row) => shapeRow(row, select_list, include_docs === true));
  return { total_rows: result.length, rows: result };
}

function checkLimit(limit: AllDocsOptions['limit']): void {
  if (!limit) return;
  const [offset, count] = limit;
  if (!Number.isInteger(offset) || offset < 0 || (count !== undefined && (!Number.isInteger(count) || count < 0))) {
    throw new StorageError(400, `limit must be [offset, count] with whole numbers ≥ 0, not ${JSON.stringify(limit)}.`, { limit });
  }
}

/** Sorts by each key in turn; documents without a key come last whatever the order. */
export function sortRows(rows: AllDocsRow[], sortOn: [string, SortOrder][]): AllDocsRow[] {
  for (const [, direction] of sortOn) {
    if (direction !== 'ascending' && direction !== 'descending') {
      throw new StorageError(400, `sort_on order must be "ascending" or "descending", not "${String(direction)}".`, { sort_on: sortOn });
    }
  }
  return [...rows].sort((a, b) => {
    for (const [key, direction] of sortOn) {
      const left = a.doc?.[key];
      const right = b.doc?.[key];
      if (left === undefined || right === undefined) {
        if (left !== right) return left === undefined ? 1 : -1;
        continue;
      }
      const compared = order(left, right) ?? 0;
      if (compared !== 0) return direction === 'ascending' ? compared : -compared;
    }
    return 0;
  });
}

function shapeRow(row: AllDocsRow, selectList: string[] | undefined, includeDocs: boolean): AllDocsRow {
  const value: Doc = {};
  for (const key of selectList ?? []) if (row.doc && key in row.doc) value[key] = row.doc[key];
  return includeDocs && row.doc ? { id: row.id, value, doc: row.doc } : { id: row.id, value };
}
