import type { AllDocsRow, BulkGetResult, BulkResult, ChangeRow, CouchDoc, Seq } from './couch-client';
import { RemoteError } from './remote-error';

// The shape of each CouchDB answer the client relies on, checked where it arrives: an answer that is not what CouchDB
// sends (a proxy, a captive portal, a broken server) becomes a RemoteError 502 that names the endpoint and what was
// wrong, instead of a TypeError deep in the replicator or, worse, a document taken for deleted or a write taken for done.

/** Throws the 502 for an answer of `endpoint` that lacks what CouchDB always sends. */
function badAnswer(endpoint: string, problem: string, answer: unknown): never {
  let sample: string;
  try {
    sample = JSON.stringify(answer)?.slice(0, 200) ?? String(answer);
  } catch {
    sample = String(answer);
  }
  throw new RemoteError(
    502,
    'bad_response',
    `The server answered ${endpoint} with ${problem}, which is not what CouchDB sends: check that the remote is a CouchDB database (not a proxy page); sync will retry.`,
    sample,
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSeq = (value: unknown): value is Seq => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A stored document (GET doc, include_docs, open_revs): `_id`, `_rev` and well-formed attachment stubs. */
export function checkDoc(value: unknown, endpoint: string, id?: string): CouchDoc {
  if (!isRecord(value)) badAnswer(endpoint, 'a document that is not an object', value);
  if (!isText(value['_id']) || (id !== undefined && value['_id'] !== id)) badAnswer(endpoint, `a document without the _id ${id ?? ''}`.trimEnd(), value);
  if (!isText(value['_rev'])) badAnswer(endpoint, `document ${value['_id']} without a _rev`, value);
  const attachments = value['_attachments'];
  if (attachments !== undefined) {
    if (!isRecord(attachments)) badAnswer(endpoint, `document ${value['_id']} whose _attachments is not an object`, value);
    for (const [name, stub] of Object.entries(attachments)) {
      const wellFormed = isRecord(stub) && typeof stub['content_type'] === 'string' && (stub['length'] === undefined || typeof stub['length'] === 'number') && (stub['digest'] === undefined || typeof stub['digest'] === 'string');
      if (!wellFormed) badAnswer(endpoint, `attachment ${name} of ${value['_id']} without a content_type, length or digest`, stub);
    }
  }
  return value as CouchDoc;
}

/** `_changes`: a `results` list of rows with `id`, `seq` and at least one `changes[].rev`, and a `last_seq`. */
export function checkChanges(value: unknown): { results: ChangeRow[]; last_seq: Seq; pending?: number } {
  const endpoint = '_changes (the changes feed)';
  if (!isRecord(value) || !Array.isArray(value['results'])) badAnswer(endpoint, 'no results list', value);
  value['results'].forEach((row: unknown, index) => {
    if (!isRecord(row) || !isText(row['id']) || !isSeq(row['seq'])) badAnswer(endpoint, `row ${index} without an id or seq`, row);
    const changes = row['changes'];
    if (!Array.isArray(changes) || changes.length === 0 || !changes.every((change) => isRecord(change) && isText(change['rev']))) {
      badAnswer(endpoint, `row ${index} (${row['id']}) without its changes[].rev`, row);
    }
  });
  if (!isSeq(value['last_seq'])) badAnswer(endpoint, 'no last_seq', value);
  return value as { results: ChangeRow[]; last_seq: Seq; pending?: number };
}

/**
 * `_bulk_docs` (new_edits=true): one row per document sent, each `{ok, id, rev}` or `{id, error}`. pouchdb-server lists
 * refused documents first, so rows are matched by id; they come back in the order the documents were sent.
 */
export function checkBulkDocs(value: unknown, docs: CouchDoc[]): BulkResult[] {
  const endpoint = '_bulk_docs (the document writes)';
  if (!Array.isArray(value) || value.length !== docs.length) badAnswer(endpoint, `not one row for each of the ${docs.length} documents`, value);
  const byId = new Map<string, BulkResult>();
  for (const row of value as unknown[]) {
    if (!isRecord(row) || !isText(row['id'])) badAnswer(endpoint, 'a row without an id', row);
    const refused = isText(row['error']);
    const written = row['ok'] === true && isText(row['rev']);
    if (!refused && !written) badAnswer(endpoint, `a row for ${row['id']} with neither ok and rev nor error`, row);
    byId.set(row['id'], row as unknown as BulkResult);
  }
  return docs.map((doc) => byId.get(doc._id) ?? badAnswer(endpoint, `no row for document ${doc._id}`, value));
}

/**
 * `_all_docs`: a `rows` list; asked by `keys`, one row per key in order, each an `error` (not found) or a `value.rev`
 * (and, with `include_docs`, the document, null when deleted).
 */
export function checkAllDocs(value: unknown, { keys, includeDocs }: { keys?: string[]; includeDocs?: boolean }): { rows: AllDocsRow[]; total_rows?: number } {
  const endpoint = '_all_docs (the document list)';
  if (!isRecord(value) || !Array.isArray(value['rows'])) badAnswer(endpoint, 'no rows list', value);
  const rows = value['rows'] as unknown[];
  if (keys && rows.length !== keys.length) badAnswer(endpoint, `${rows.length} rows for ${keys.length} documents asked`, value);
  rows.forEach((row, index) => {
    const key = keys?.[index];
    if (!isRecord(row) || !isText(row['key']) || (key !== undefined && row['key'] !== key)) badAnswer(endpoint, `row ${index} not about document ${key ?? '(a key)'}`, row);
    if (isText(row['error'])) return;
    const state = row['value'];
    if (!isRecord(state) || !isText(state['rev'])) badAnswer(endpoint, `a row for ${row['key']} with neither a value.rev nor an error`, row);
    if (!includeDocs) return;
    if (state['deleted'] === true) {
      if (row['doc'] !== null && row['doc'] !== undefined) checkDoc(row['doc'], endpoint, row['key']);
      return;
    }
    const doc = checkDoc(row['doc'], endpoint, row['key']);
    if (doc._rev !== state['rev']) badAnswer(endpoint, `a row for ${row['key']} whose document is not at its value.rev`, row);
  });
  return value as { rows: AllDocsRow[]; total_rows?: number };
}

/** A write's answer (PUT, DELETE, attachments): a `rev`. */
export function checkWrite(value: unknown, endpoint: string): { id: string; rev: string } {
  if (!isRecord(value) || !isText(value['rev'])) badAnswer(endpoint, 'no rev for the write', value);
  return value as { id: string; rev: string };
}

/** `open_revs=all`: a list of `{ok: doc}` or `{missing: rev}`. */
export function checkLeaves(value: unknown, endpoint: string, id: string): ({ ok: CouchDoc } | { missing: string })[] {
  if (!Array.isArray(value)) badAnswer(endpoint, 'no list of revisions', value);
  for (const row of value as unknown[]) {
    if (isRecord(row) && 'ok' in row) checkDoc(row['ok'], endpoint, id);
    else if (!isRecord(row) || !isText(row['missing'])) badAnswer(endpoint, 'a revision that is neither ok nor missing', row);
  }
  return value as ({ ok: CouchDoc } | { missing: string })[];
}

/** `_revs_diff`: per id, a `missing` list of revisions. */
export function checkRevsDiff(value: unknown): Record<string, { missing: string[]; possible_ancestors?: string[] }> {
  const endpoint = '_revs_diff (the revision comparison)';
  if (!isRecord(value)) badAnswer(endpoint, 'something that is not an object', value);
  for (const [id, entry] of Object.entries(value)) {
    if (!isRecord(entry) || !Array.isArray(entry['missing']) || !entry['missing'].every(isText)) badAnswer(endpoint, `no missing list for ${id}`, entry);
  }
  return value as Record<string, { missing: string[]; possible_ancestors?: string[] }>;
}

/** `_bulk_get`: a `results` list of `{id, docs: [{ok} | {error}]}`. */
export function checkBulkGet(value: unknown): { results: BulkGetResult[] } {
  const endpoint = '_bulk_get (the document reads)';
  if (!isRecord(value) || !Array.isArray(value['results'])) badAnswer(endpoint, 'no results list', value);
  for (const result of value['results'] as unknown[]) {
    if (!isRecord(result) || !isText(result['id']) || !Array.isArray(result['docs'])) badAnswer(endpoint, 'a result without its id or docs', result);
    for (const entry of result['docs'] as unknown[]) {
      if (isRecord(entry) && 'ok' in entry) checkDoc(entry['ok'], endpoint, result['id']);
      else if (!isRecord(entry) || !isRecord(entry['error'])) badAnswer(endpoint, `an entry for ${result['id']} that is neither ok nor error`, entry);
    }
  }
  return value as { results: BulkGetResult[] };
}

/** A view's answer: a `rows` list of `{id, key, value}`. */
export function checkViewRows<V>(value: unknown, endpoint: string): { id: string; key: unknown; value: V }[] {
  if (!isRecord(value) || !Array.isArray(value['rows'])) badAnswer(endpoint, 'no rows list', value);
  for (const row of value['rows']) if (!isRecord(row) || !isText(row['id']) || !('key' in row)) badAnswer(endpoint, 'a row without id or key', row);
  return value['rows'] as { id: string; key: unknown; value: V }[];
}
