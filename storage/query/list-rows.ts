import { StorageError } from '../storage-error';
import type { AllDocsOptions, AllDocsResult, AllDocsRow, Doc, SortOrder } from '../types';
import { matchesQuery, order, type KeySchema } from './query-match';
import type { QueryNode } from './query-parser';

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

export function checkLimit(limit: AllDocsOptions['limit']): void {
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
