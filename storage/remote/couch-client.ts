import { checkAllDocs, checkBulkDocs, checkBulkGet, checkChanges, checkDoc, checkLeaves, checkRevsDiff,
  checkViewRows, checkWrite } from './couch-answers';
import { RemoteError, remoteErrorFor } from './remote-error';

import type { Seq } from '../types';

// A CouchDB update sequence (types.ts): a number on PouchDB/CouchDB 1.x, an opaque string on CouchDB 2+/Cloudant.
export type { Seq };

/** A stored JSON document as CouchDB sends it. */
export interface CouchDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  _attachments?: Record<string, CouchAttachment>;
  _revisions?: { start: number; ids: string[] };
  _conflicts?: string[];
  [field: string]: unknown;
}

export interface CouchAttachment {
  content_type: string;
  digest?: string;
  length?: number;
  revpos?: number;
  stub?: boolean;
  /** base64, when inline. */
  data?: string;
}

export interface ChangeRow {
  seq: Seq;
  id: string;
  changes: { rev: string }[];
  deleted?: boolean;
  doc?: CouchDoc;
}

export interface ChangesOptions {
  since?: Seq;
  limit?: number;
  /** 'all_docs' lists every leaf revision (conflicts included); default 'main_only'. */
  style?: 'main_only' | 'all_docs';
  includeDocs?: boolean;
  /** 'longpoll' waits (up to `timeout` ms) for a change when there is none. */
  feed?: 'normal' | 'longpoll';
  timeout?: number;
  signal?: AbortSignal;
}

export interface BulkResult {
  id: string;
  rev?: string;
  ok?: boolean;
  error?: string;
  reason?: string;
}

export interface BulkGetResult {
  id: string;
  docs: ({ ok: CouchDoc } | { error: { id: string; rev: string; error: string; reason: string } })[];
}

export interface AllDocsRow {
  id?: string;
  key: string;
  value?: { rev: string; deleted?: boolean };
  doc?: CouchDoc | null;
  error?: string;
}

export interface CouchClientOptions {
  /** The database URL: `http://127.0.0.1:5984/fieldscope`, or a same-origin path such as `/db/fieldscope`. */
  url: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per-request timeout (default 30 s; longpoll requests add their own wait). */
  timeoutMs?: number;
  /** HTTP basic credentials, for Node tools and tests. The app uses a session cookie instead (see `login`). */
  auth?: { name: string; password: string };
}

interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  body?: Blob | ArrayBuffer | Uint8Array;
  contentType?: string;
  signal?: AbortSignal;
  /** Extra time allowed for this request (longpoll). */
  extraTimeoutMs?: number;
  /** Words naming the target in error messages ("document x"). */
  what?: string;
}

/**
 * A small client for the CouchDB HTTP API (CouchDB 3, Cloudant, pouchdb-server): documents, attachments, `_changes`,
 * `_revs_diff`, `_bulk_get`, `_bulk_docs` (with `new_edits=false` for replication), `_local` documents and `_session`.
 * Every call takes an AbortSignal; failures are RemoteError with a status (0 = unreachable).
 */
export class CouchClient {
  readonly url: string;
  readonly serverUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly authorization: string | undefined;
  /** The session cookie, kept only where the runtime does not (Node); browsers keep it themselves (HttpOnly). */
  private cookie: string | undefined;
  /** Counts HTTP requests sent (tests and benches). */
  requests = 0;

  constructor({ url, fetch: fetchImpl, timeoutMs = 30_000, auth }: CouchClientOptions) {
    this.url = url.replace(/\/+$/, '');
    this.serverUrl = this.url.slice(0, this.url.lastIndexOf('/') + 1) || '/';
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = timeoutMs;
    this.authorization = auth ? `Basic ${btoa(`${auth.name}:${auth.password}`)}` : undefined;
  }

  /** The database name (last path segment of the URL). */
  get dbName(): string {
    return decodeURIComponent(this.url.slice(this.url.lastIndexOf('/') + 1));
  }

  // ---- database ----

  info({ signal }: { signal?: AbortSignal } = {}): Promise<{ db_name: string; doc_count: number; update_seq: Seq }> {
    return this.json('GET', '', { signal, what: `database ${this.dbName}` }, (value) => {
      if (typeof value !== 'object' || value === null || !('db_name' in value)) throw notCouch(`database ${this.dbName}`, value);
      return value as { db_name: string; doc_count: number; update_seq: Seq };
    });
  }

  /** Creates the database; resolves `false` if it already existed. */
  async create({ signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.json('PUT', '', { signal, what: `database ${this.dbName}` }, ignore);
      return true;
    } catch (error) {
      if (error instanceof RemoteError && error.status === 412) return false;
      throw error;
    }
  }

  async destroy({ signal }: { signal?: AbortSignal } = {}): Promise<void> {
    await this.json('DELETE', '', { signal, what: `database ${this.dbName}` }, ignore);
  }

  // ---- documents ----

  get(id: string, options: { rev?: string; revs?: boolean; conflicts?: boolean; signal?: AbortSignal } = {}): Promise<CouchDoc> {
    return this.json('GET', docPath(id), {
      query: { rev: options.rev, revs: options.revs || undefined, conflicts: options.conflicts || undefined },
      signal: options.signal,
      what: `document ${id}`,
    }, (value) => checkDoc(value, `GET ${id}`, id));
  }

  async put(doc: CouchDoc, { signal }: { signal?: AbortSignal } = {}): Promise<{ id: string; rev: string }> {
    return this.json('PUT', docPath(doc._id), { json: doc, signal, what: `document ${doc._id}` }, (value) => checkWrite(value, `PUT ${doc._id}`));
  }

  /**
   * Writes a document with binary attachments in one multipart/related request (CouchDB's own replication format): the
   * JSON names each part as `{ follows: true, length }` and the parts follow in that order, so the server neither parses
   * nor decodes base64. With `newEdits: false` the document's `_rev` and `_revisions` are stored as given (no conflict
   * check, no revision hash computed over the body).
   */
  putMultipart(
    doc: CouchDoc,
    parts: { name: string; contentType: string; data: Blob }[],
    { newEdits = true, signal }: { newEdits?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ id: string; rev: string }> {
    const byName = new Map(parts.map((part) => [part.name, part]));
    const attachments: Record<string, CouchAttachment | { content_type: string; follows: true; length: number }> = { ...(doc._attachments ?? {}) };
    for (const part of parts) attachments[part.name] = { content_type: part.contentType, follows: true, length: part.data.size };
    const boundary = randomHex(16);
    const body: BlobPart[] = [`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ ...doc, _attachments: attachments })}\r\n`];
    // Parts go in the order JSON.stringify wrote the names (integer-like names first), which is how the server pairs them.
    for (const name of Object.keys(attachments)) {
      const part = byName.get(name);
      if (!part) continue;
      body.push(`--${boundary}\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Type: ${part.contentType}\r\nContent-Length: ${part.data.size}\r\n\r\n`, part.data, '\r\n');
    }
    body.push(`--${boundary}--`);
    return this.json('PUT', docPath(doc._id), {
      query: { new_edits: newEdits ? undefined : false },
      body: new Blob(body),
      contentType: `multipart/related; boundary="${boundary}"`,
      signal,
      what: `document ${doc._id}`,
    }, (value) =>
      // With new_edits=false pouchdb-server answers [] and CouchDB {ok, id, rev}: the revision is the one we named.
      !newEdits && Array.isArray(value) ? { id: doc._id, rev: doc._rev ?? '' } : checkWrite(value, `PUT ${doc._id} (multipart)`),
    );
  }

  /** Every leaf revision of a document (conflicting and deleted ones included); [] when it never existed. */
  async leaves(id: string, { signal }: { signal?: AbortSignal } = {}): Promise<CouchDoc[]> {
    try {
      const rows = await this.json('GET', docPath(id), { query: { open_revs: 'all' }, signal, what: `document ${id}` }, (value) => checkLeaves(value, `GET ${id}?open_revs=all`, id));
      return rows.flatMap((row) => ('ok' in row ? [row.ok] : []));
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return [];
      throw error;
    }
  }

  async remove(id: string, rev: string, { signal }: { signal?: AbortSignal } = {}): Promise<{ id: string; rev: string }> {
    return this.json('DELETE', docPath(id), { query: { rev }, signal, what: `document ${id}` }, (value) => checkWrite(value, `DELETE ${id}`));
  }

  /**
   * Writes many documents in one request. With `newEdits: false` the given `_rev`s (and `_revisions` histories) are stored
   * as they are, as replication does: no conflict errors, a diverging edit becomes a conflict branch.
   */
  bulkDocs(docs: CouchDoc[], { newEdits = true, signal }: { newEdits?: boolean; signal?: AbortSignal } = {}): Promise<BulkResult[]> {
    return this.json(
      'POST',
      '_bulk_docs',
      { json: newEdits ? { docs } : { docs, new_edits: false }, signal, what: `${docs.length} documents` },
      // Without new_edits CouchDB answers [] (nothing can conflict); PouchDB lists the writes.
      (value) => (newEdits ? checkBulkDocs(value, docs) : Array.isArray(value) ? (value as BulkResult[]) : checkBulkDocs(value, docs)),
    );
  }

  async allDocs(
    options: { keys?: string[]; includeDocs?: boolean; startkey?: string; endkey?: string; limit?: number; conflicts?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ rows: AllDocsRow[]; total_rows?: number }> {
    const query = {
      include_docs: options.includeDocs || undefined,
      conflicts: options.conflicts || undefined,
      startkey: options.startkey === undefined ? undefined : JSON.stringify(options.startkey),
      endkey: options.endkey === undefined ? undefined : JSON.stringify(options.endkey),
      limit: options.limit,
    };
    const check = (value: unknown) => checkAllDocs(value, { ...(options.keys ? { keys: options.keys } : {}), ...(options.includeDocs ? { includeDocs: true } : {}) });
    if (options.keys) return this.json('POST', '_all_docs', { query, json: { keys: options.keys }, signal: options.signal, what: 'the document list' }, check);
    return this.json('GET', '_all_docs', { query, signal: options.signal, what: 'the document list' }, check);
  }

  /**
   * Rows of a design document's view (`_design/x`, view name), with `keys` when given (POSTed: any number of them).
   * Rows come with `id`, `key` and `value`.
   */
  async view<V>(design: string, name: string, options: { keys?: unknown[]; signal?: AbortSignal } = {}): Promise<{ id: string; key: unknown; value: V }[]> {
    const path = `${docPath(design)}/_view/${encodeURIComponent(name)}`;
    const what = `the index ${design.slice(design.indexOf('/') + 1)}/${name}`;
    const check = (value: unknown) => checkViewRows<V>(value, `the view ${design}/${name}`);
    return options.keys
      ? this.json('POST', path, { json: { keys: options.keys }, signal: options.signal, what }, check)
      : this.json('GET', path, { signal: options.signal, what }, check);
  }

  // ---- replication protocol ----

  changes(options: ChangesOptions = {}): Promise<{ results: ChangeRow[]; last_seq: Seq; pending?: number }> {
    const longpoll = options.feed === 'longpoll';
    return this.json('GET', '_changes', {
      query: {
        since: options.since === undefined ? undefined : String(options.since),
        limit: options.limit,
        style: options.style,
        include_docs: options.includeDocs || undefined,
        feed: longpoll ? 'longpoll' : undefined,
        timeout: longpoll ? (options.timeout ?? 25_000) : undefined,
      },
      signal: options.signal,
      extraTimeoutMs: longpoll ? (options.timeout ?? 25_000) : 0,
      what: 'the changes feed',
    }, checkChanges);
  }

  /** For each id, which of the given revisions the server does not have. */
  revsDiff(revs: Record<string, string[]>, { signal }: { signal?: AbortSignal } = {}): Promise<Record<string, { missing: string[]; possible_ancestors?: string[] }>> {
    return this.json('POST', '_revs_diff', { json: revs, signal, what: 'the revision comparison' }, checkRevsDiff);
  }

  /** Fetches many documents (optionally given revisions, with their histories) in one request. */
  bulkGet(
    docs: { id: string; rev?: string }[],
    { revs = false, signal }: { revs?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ results: BulkGetResult[] }> {
    return this.json('POST', '_bulk_get', { query: { revs: revs || undefined }, json: { docs }, signal, what: `${docs.length} documents` }, checkBulkGet);
  }

  /** A `_local` document (not replicated: checkpoints); undefined when absent. */
  async getLocal<T extends object>(id: string, { signal }: { signal?: AbortSignal } = {}): Promise<(T & { _rev: string }) | undefined> {
    try {
      return await this.json('GET', `_local/${encodeURIComponent(id)}`, { signal, what: `checkpoint ${id}` }, (value) => checkDoc(value, `GET _local/${id}`) as unknown as T & { _rev: string });
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Writes a `_local` document, over whatever revision is there. */
  async putLocal(id: string, body: object, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const current = await this.getLocal(id, { signal });
    await this.json('PUT', `_local/${encodeURIComponent(id)}`, {
      json: { ...body, _id: `_local/${id}`, ...(current ? { _rev: current._rev } : {}) },
      signal,
      what: `checkpoint ${id}`,
    }, (value) => checkWrite(value, `PUT _local/${id}`));
  }

  // ---- attachments ----

  async getAttachment(id: string, name: string, { rev, signal }: { rev?: string; signal?: AbortSignal } = {}): Promise<Blob> {
    const what = `attachment ${name} of ${id}`;
    const response = await this.send('GET', `${docPath(id)}/${attachmentPath(name)}`, { query: { rev }, signal, what });
    const announced = Number(response.headers.get('content-length') ?? Number.NaN);
    const blob = await this.readBody(() => response.blob(), what, signal);
    // An answer that ends early (a cut connection behind a proxy that hid it) is not the piece.
    if (Number.isFinite(announced) && blob.size !== announced) throw this.cut(what);
    return blob;
  }

  putAttachment(
    id: string,
    name: string,
    rev: string | undefined,
    data: Blob | ArrayBuffer | Uint8Array,
    contentType = 'application/octet-stream',
    { signal }: { signal?: AbortSignal } = {},
  ): Promise<{ id: string; rev: string }> {
    return this.json('PUT', `${docPath(id)}/${attachmentPath(name)}`, { query: { rev }, body: data, contentType, signal, what: `attachment ${name} of ${id}` }, (value) =>
      checkWrite(value, `PUT ${id}/${name}`),
    );
  }

  removeAttachment(id: string, name: string, rev: string, { signal }: { signal?: AbortSignal } = {}): Promise<{ id: string; rev: string }> {
    return this.json('DELETE', `${docPath(id)}/${attachmentPath(name)}`, { query: { rev }, signal, what: `attachment ${name} of ${id}` }, (value) =>
      checkWrite(value, `DELETE ${id}/${name}`),
    );
  }

  // ---- session ----

  /** Signs in with CouchDB's `_session` (cookie auth). The password is sent once and never stored. */
  async login(name: string, password: string, { signal }: { signal?: AbortSignal } = {}): Promise<{ name: string; roles: string[] }> {
    const response = await this.send('POST', '_session', { server: true, json: { name, password }, signal, what: 'the sign-in' });
    const setCookie = response.headers.get('set-cookie'); // visible in Node only; browsers keep HttpOnly cookies themselves
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const body = (await parseJson(await this.readBody(() => response.text(), 'the sign-in', signal), 'the sign-in')) as { name: string; roles: string[] };
    return { name: body.name, roles: body.roles ?? [] };
  }

  async logout({ signal }: { signal?: AbortSignal } = {}): Promise<void> {
    try {
      await this.send('DELETE', '_session', { server: true, signal, what: 'the sign-out' });
    } finally {
      this.cookie = undefined;
    }
  }

  /** Who the server thinks we are (`name: null` when anonymous). */
  async session({ signal }: { signal?: AbortSignal } = {}): Promise<{ name: string | null; roles: string[] }> {
    const response = await this.send('GET', '_session', { server: true, signal, what: 'the session' });
    const body = (await parseJson(await this.readBody(() => response.text(), 'the session', signal), 'the session')) as { userCtx?: { name: string | null; roles: string[] } };
    return body.userCtx ?? { name: null, roles: [] };
  }

  // ---- transport ----

  /** Sends a request and returns its JSON answer once `check` (see couch-answers.ts) has found it well formed. */
  private async json<T>(method: string, path: string, options: RequestOptions, check: (value: unknown) => T): Promise<T> {
    const what = options.what ?? path;
    const response = await this.send(method, path, options);
    return check(parseJson(await this.readBody(() => response.text(), what, options.signal), what));
  }

  /** Reads an answer's body; a connection closed mid-way is a network failure (status 0), as one closed before it. */
  private async readBody<T>(read: () => Promise<T>, what: string, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (error instanceof RemoteError) throw error;
      throw this.cut(what);
    }
  }

  private cut(what: string): RemoteError {
    return new RemoteError(0, 'unreachable', `The connection to ${this.serverUrl} broke while it sent ${what}: check the network; sync will retry.`);
  }

  private async send(method: string, path: string, options: RequestOptions & { server?: boolean }): Promise<Response> {
    const base = options.server ? this.serverUrl : `${this.url}/`;
    let url = base + path;
    if (url.endsWith('/') && path === '') url = url.slice(0, -1);
    const query = Object.entries(options.query ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
    if (query.length > 0) url += `?${query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    if (this.cookie) headers.cookie = this.cookie;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.body instanceof Uint8Array ? new Blob([options.body as Uint8Array<ArrayBuffer>]) : options.body;
    }
    const what = options.what ?? path;
    // One signal for the caller's cancellation and our timeout; the listener is removed whatever happens.
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(new RemoteError(504, 'timeout', `The server did not answer ${what} in time: it will be retried.`)), this.timeoutMs + (options.extraTimeoutMs ?? 0));
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.throwIfAborted();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.requests++;
    try {
      const init: RequestInit = { method, headers, body, signal: controller.signal, credentials: 'include' };
      let response: Response;
      try {
        response = await this.fetchImpl(url, init);
      } catch (error) {
        // A kept-alive connection the server closed meanwhile: a read is sent once more on a fresh one (browsers do
        // this themselves; Node's fetch does not).
        if ((method !== 'GET' && method !== 'HEAD') || controller.signal.aborted) throw error;
        response = await this.fetchImpl(url, init);
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        let code = 'http_error';
        let reason: string | undefined;
        try {
          const parsed = JSON.parse(text) as { error?: string; reason?: string };
          code = parsed.error ?? code;
          reason = parsed.reason;
        } catch {
          reason = text ? text.slice(0, 200) : undefined;
        }
        throw remoteErrorFor(response.status, code, reason, what);
      }
      return response;
    } catch (error) {
      if (error instanceof RemoteError) throw error;
      if (controller.signal.aborted) {
        const reason: unknown = controller.signal.reason;
        if (reason instanceof RemoteError) throw reason;
        throw reason ?? new DOMException('The operation was aborted.', 'AbortError');
      }
      throw new RemoteError(0, 'unreachable', `The server at ${this.serverUrl} is not reachable (${(error as Error).message}): check the network; sync will retry.`);
    } finally {
      clearTimeout(timeout);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RemoteError(502, 'bad_response', `The server answered ${what} with something that is not CouchDB JSON: check the remote's URL.`, text.slice(0, 200));
  }
}

/** For answers nothing is read from (create, destroy). */
const ignore = (): void => undefined;

function notCouch(what: string, value: unknown): RemoteError {
  return new RemoteError(502, 'bad_response', `The server answered ${what} with something that is not CouchDB JSON: check the remote's URL.`, JSON.stringify(value)?.slice(0, 200));
}

/** Random hex (boundaries, revision ids). */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function docPath(id: string): string {
  // Design and local documents keep their prefix unescaped, as CouchDB expects.
  if (id.startsWith('_design/') || id.startsWith('_local/')) return `${id.slice(0, id.indexOf('/'))}/${encodeURIComponent(id.slice(id.indexOf('/') + 1))}`;
  return encodeURIComponent(id);
}

function attachmentPath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}
