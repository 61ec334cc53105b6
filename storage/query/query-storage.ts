import { throwIfAborted } from '../checks';
import { StorageWrapper } from '../storage-wrapper';
import type { AllDocsOptions, AllDocsResult, AllDocsRow, Capability, Storage } from '../types';
import type { KeySchema } from './query-match';
import { checkLimit, listRows } from './list-rows';
import { parseQuery } from './query-parser';

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
