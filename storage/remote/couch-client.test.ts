import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { CouchClient } from './couch-client';
import { RemoteError } from './remote-error';

let server: { url: string; stop(): Promise<void> };
let counter = 0;
const freshDb = async () => {
  const client = new CouchClient({ url: `${server.url}client-test-${++counter}` });
  await client.create();
  return client;
};

beforeAll(async () => {
  server = await startPouchServer({ inMemory: true, adminParty: true });
}, 30_000);
afterAll(async () => server?.stop());

describe('CouchClient against pouchdb-server', () => {
  it('creates a database once and reports it', async () => {
    const client = new CouchClient({ url: `${server.url}create-once` });
    expect(await client.create()).toBe(true);
    expect(await client.create()).toBe(false);
    expect((await client.info()).db_name).toBe('create-once');
  });

  it('writes, reads and conflicts on documents like CouchDB', async () => {
    const client = await freshDb();
    const { rev } = await client.put({ _id: 'a b/c', title: 'one' });
    expect(rev).toMatch(/^1-/);
    expect((await client.get('a b/c')).title).toBe('one');
    await expect(client.put({ _id: 'a b/c', title: 'stale' })).rejects.toMatchObject({ status: 409, code: 'conflict' });
    const second = await client.put({ _id: 'a b/c', _rev: rev, title: 'two' });
    expect(second.rev).toMatch(/^2-/);
    await client.remove('a b/c', second.rev);
    await expect(client.get('a b/c')).rejects.toMatchObject({ status: 404 });
  });

  it('follows the changes feed from a sequence, with deletions', async () => {
    const client = await freshDb();
    const results = await client.bulkDocs([{ _id: 'x' }, { _id: 'y' }, { _id: 'z' }]);
    const start = (await client.changes()).last_seq;
    await client.remove('y', results[1]!.rev!);
    const feed = await client.changes({ since: start });
    expect(feed.results.map((row) => [row.id, row.deleted ?? false])).toEqual([['y', true]]);
    const limited = await client.changes({ since: 0, limit: 2 });
    expect(limited.results).toHaveLength(2);
  });

  it('longpoll waits for the next change and can be aborted', async () => {
    const client = await freshDb();
    const since = (await client.changes()).last_seq;
    const waiting = client.changes({ since, feed: 'longpoll', timeout: 10_000 });
    await client.put({ _id: 'late' });
    expect((await waiting).results.map((row) => row.id)).toEqual(['late']);
    const controller = new AbortController();
    const aborted = client.changes({ since: (await client.changes()).last_seq, feed: 'longpoll', timeout: 10_000, signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow(/abort/i);
  });

  it('speaks the replication protocol: revs_diff, bulk_get with histories, bulk_docs new_edits=false', async () => {
    const source = await freshDb();
    const target = await freshDb();
    const first = await source.put({ _id: 'doc', v: 1 });
    const second = await source.put({ _id: 'doc', _rev: first.rev, v: 2 });
    const diff = await target.revsDiff({ doc: [second.rev] });
    expect(diff.doc?.missing).toEqual([second.rev]);
    const { results } = await source.bulkGet([{ id: 'doc', rev: second.rev }], { revs: true });
    const got = results[0]!.docs[0]!;
    if (!('ok' in got)) throw new Error('bulk_get failed');
    expect(got.ok._revisions?.ids).toHaveLength(2);
    await target.bulkDocs([got.ok], { newEdits: false });
    expect((await target.get('doc'))._rev).toBe(second.rev);
    expect(await target.revsDiff({ doc: [second.rev] })).toEqual({});
    // A diverging edit written with new_edits=false becomes a conflict branch, not an error.
    await target.bulkDocs([{ _id: 'doc', _rev: '2-ffff', v: 'other', _revisions: { start: 2, ids: ['ffff', first.rev.slice(2)] } }], { newEdits: false });
    const withConflicts = await target.get('doc', { conflicts: true });
    expect([withConflicts._rev, ...(withConflicts._conflicts ?? [])].sort()).toEqual([second.rev, '2-ffff'].sort());
  });

  it('keeps _local checkpoints out of the changes feed', async () => {
    const client = await freshDb();
    expect(await client.getLocal('cp')).toBeUndefined();
    await client.putLocal('cp', { seq: 5 });
    await client.putLocal('cp', { seq: 7 });
    expect((await client.getLocal<{ seq: number }>('cp'))?.seq).toBe(7);
    expect((await client.changes()).results).toEqual([]);
  });

  it('stores and reads binary attachments', async () => {
    const client = await freshDb();
    const bytes = new Uint8Array(3000).map((_, i) => i % 251);
    const { rev } = await client.putAttachment('arr', 'chunk/0', undefined, bytes, 'application/octet-stream');
    const blob = await client.getAttachment('arr', 'chunk/0');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    const doc = await client.get('arr');
    expect(doc._attachments?.['chunk/0']?.length).toBe(3000);
    await client.removeAttachment('arr', 'chunk/0', rev);
    await expect(client.getAttachment('arr', 'chunk/0')).rejects.toMatchObject({ status: 404 });
  });

  it('reports an unreachable server as status 0 with advice', async () => {
    const client = new CouchClient({ url: 'http://127.0.0.1:9/nowhere', timeoutMs: 2000 });
    const error = await client.info().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ status: 0, code: 'unreachable', transient: true });
    expect((error as Error).message).toMatch(/not reachable/);
  });
});

describe('CouchClient sessions', () => {
  let secured: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    secured = await startPouchServer({ inMemory: true, adminParty: true });
    const admin = await fetch(`${secured.url}_config/admins/ana`, { method: 'PUT', body: JSON.stringify('s3cret') });
    expect(admin.ok).toBe(true);
  }, 30_000);
  afterAll(async () => secured?.stop());

  it('signs in with a cookie, knows who we are, signs out', async () => {
    const client = new CouchClient({ url: `${secured.url}sessions` });
    await expect(client.login('ana', 'wrong')).rejects.toMatchObject({ status: 401 });
    expect((await client.session()).name).toBeNull();
    expect(await client.login('ana', 's3cret')).toMatchObject({ name: 'ana' });
    expect((await client.session()).name).toBe('ana');
    expect(await client.create()).toBe(true); // creating a database needs the admin's session
    await client.logout();
    expect((await client.session()).name).toBeNull();
  });

  it('rejects bad basic credentials with 401 and a message that says what to do', async () => {
    const client = new CouchClient({ url: `${secured.url}sessions`, auth: { name: 'ana', password: 'nope' } });
    const error = await client.info().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, transient: false });
    expect((error as Error).message).toMatch(/Sign in to the sync server/);
  });
});
