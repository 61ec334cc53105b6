import 'fake-indexeddb/auto';
import { firstValueFrom, filter, of, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { createLocalStorage } from '../local-storage';
import { SyncManager, type SyncStatus } from './sync-manager';
import { startTestProxy, type TestProxy } from '../testing/test-proxy';

let couch: { url: string; stop(): Promise<void> };
/** In front of pouchdb-server; can be told to fail: HTTP 500, garbage, or no answer at all. */
let proxy: TestProxy;
let counter = 0;

beforeAll(async () => {
  couch = await startPouchServer({ inMemory: true, adminParty: true });
  proxy = await startTestProxy(couch.url);
}, 30_000);
afterAll(async () => {
  await proxy?.stop();
  await couch?.stop();
});

async function setup() {
  const name = `sync-manager-${++counter}`;
  const local = createLocalStorage(name);
  const manager = new SyncManager(local, { stateName: `${name}-sync`, pollMs: 60_000, debounceMs: 50 });
  const database = `${proxy.url}db-${counter}`;
  await fetch(database, { method: 'PUT' });
  await manager.addRemote({ url: database, title: 'test server' });
  return { local, manager, database };
}

/** Resolves at the first status that passes `check` (a status seen as it is set, not by polling: a round can be short). */
const waitFor = async (manager: SyncManager, check: (status: SyncStatus) => boolean) => {
  const seen = await firstValueFrom(manager.status.pipe(filter(check), timeout({ first: 10_000, with: () => of(undefined) })));
  expect(seen, JSON.stringify(manager.status.value)).toBeDefined();
};

describe('sync manager against a server that fails', () => {
  for (const [failure, expected] of [
    ['500', /server failed \(500\)/],
    ['garbage', /not CouchDB JSON/],
    ['down', /not reachable.*sync will retry/],
  ] as const) {
    it(`${failure}: says so, keeps local data, and succeeds on a later try`, async () => {
      const { local, manager, database } = await setup();
      await local.put('note', { portal_type: 'Notebook', title: 'kept' });
      proxy.mode = failure;
      await expect(manager.syncOnce()).rejects.toThrow(expected);
      expect(await local.get('note')).toEqual({ portal_type: 'Notebook', title: 'kept' });

      // The live loop reports the error with its retry time, then a "Sync now" after recovery succeeds.
      const controller = new AbortController();
      const running = manager.run(controller.signal);
      await waitFor(manager, (status) => status.state === 'error' && /Next try in \d+ s/.test(status.message));
      proxy.mode = 'ok';
      manager.syncSoon();
      await waitFor(manager, (status) => status.state === 'idle' && status.lastSync !== undefined);
      controller.abort();
      await running;
      const onServer = (await (await fetch(`${database}/note`)).json()) as { title?: string };
      expect(onServer.title).toBe('kept');
    });
  }
});

describe('sync manager and a document the server refuses', () => {
  it('syncs the others, says how many were refused, and lists each with the server’s reason', async () => {
    const { local, manager, database } = await setup();
    const direct = database.replace(proxy.url, couch.url);
    const guard = { validate_doc_update: "function (doc) { if (doc.secret) throw({ forbidden: 'no secrets on this server' }); }" };
    await fetch(`${direct}/_design/guard`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(guard) });
    await local.put('open', { portal_type: 'Notebook', title: 'open' });
    await local.put('hidden', { portal_type: 'Notebook', title: 'hidden', secret: true });
    await manager.syncOnce();
    expect(manager.status.value).toMatchObject({ state: 'idle', refused: 1 });
    expect(manager.status.value.message).toContain('1 document the server refused');
    expect((await manager.refusals()).map(({ id, status, reason, target }) => ({ id, status, reason, remote: target.title }))).toEqual([
      { id: 'hidden', status: 403, reason: 'no secrets on this server', remote: 'test server' },
    ]);
    expect(((await (await fetch(`${direct}/open`)).json()) as { title?: string }).title).toBe('open');

    await local.put('hidden', { portal_type: 'Notebook', title: 'hidden' });
    await manager.syncOnce();
    expect(manager.status.value).toMatchObject({ refused: 0, message: 'Up to date.' });
    expect(await manager.refusals()).toEqual([]);
  });
});

describe('checking a remote before it is saved', () => {
  it('creates a missing database, refuses a wrong password and a server that is not CouchDB, each with its message', async () => {
    const { verifyRemote } = await import('./verify-remote');
    expect(await verifyRemote(`${couch.url}fresh-${++counter}`)).toEqual({ created: true });
    await expect(verifyRemote(`${couch.url}fresh-${counter}`, { user: 'nobody', password: 'wrong' })).rejects.toThrow(
      'The server refused this name and password. Check them and try again.',
    );
    proxy.mode = 'garbage';
    await expect(verifyRemote(`${proxy.url}anything`)).rejects.toThrow(/not as a CouchDB server/);
    proxy.mode = 'down';
    await expect(verifyRemote(`${proxy.url}anything`)).rejects.toThrow(/cannot be reached/);
    proxy.mode = 'ok';
  });
});

describe('pausing while a round runs', () => {
  it('stays paused when that round ends, and the next rounds wait for Resume', async () => {
    const { local, manager, database } = await setup();
    await local.put('first', { portal_type: 'Notebook', title: 'before the pause' });
    const round = manager.syncOnce();
    await waitFor(manager, (status) => status.state === 'syncing');
    manager.pause(true);
    await round;
    expect(manager.status.value.state).toBe('paused');

    await local.put('second', { portal_type: 'Notebook', title: 'while paused' });
    const controller = new AbortController();
    const running = manager.run(controller.signal);
    manager.syncSoon();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(manager.status.value.state).toBe('paused');
    expect((await fetch(`${database}/second`)).status).toBe(404);
    manager.pause(false);
    await waitFor(manager, (status) => status.state === 'idle' && status.message === 'Up to date.');
    controller.abort();
    await running;
    expect((await fetch(`${database}/second`)).status).toBe(200);
  });
});

describe('a sync server that needs a signed-in user (the local server as npm start runs it)', () => {
  it('a refused sync names the remote that needs "Sign in" and says so; signing in clears it, a wrong password is refused', async () => {
    const locked = await startPouchServer({ inMemory: true });
    try {
      const name = `sync-manager-locked-${++counter}`;
      const manager = new SyncManager(createLocalStorage(name), { stateName: `${name}-sync`, pollMs: 60_000, debounceMs: 50 });
      const remote = await manager.addRemote({ url: `${locked.url}fieldscope`, title: 'Local sync server' });
      await expect(manager.syncOnce()).rejects.toThrow(/^Sign in to the sync server: .*press “Sign in” by this remote/);
      expect(manager.status.value.signIn).toEqual([remote.id]);
      await expect(manager.signIn(remote.id, locked.admin.name, 'wrong')).rejects.toThrow('The server refused this name and password.');
      expect(manager.status.value.signIn).toEqual([remote.id]);
      expect(await manager.signIn(remote.id, locked.admin.name, locked.admin.password)).toMatchObject({ user: locked.admin.name });
      expect(manager.status.value.signIn).toEqual([]);
      expect((await manager.remotes())[0]).toMatchObject({ user: locked.admin.name });
      expect(JSON.stringify(await manager.remotes())).not.toContain(locked.admin.password);
    } finally {
      await locked.stop();
    }
  }, 30_000);
});

describe('partial sync: a device takes a subset of the remote', () => {
  it('takes only the chosen types and what a query matches; pushes all it makes; a wider choice brings the rest', async () => {
    const { local, manager, database } = await setup();
    const put = (id: string, doc: Record<string, unknown>) => fetch(`${database}/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    for (let index = 0; index < 30; index += 1) await put(`note-${index}`, { portal_type: 'Notebook', title: `Note ${index}` });
    await put('array-pump', { portal_type: 'Data Array', title: 'North pump vibration' });
    await put('array-fan', { portal_type: 'Data Array', title: 'Fan current' });
    await put('image-1', { portal_type: 'Image', title: 'A plot' });
    const [remote] = await manager.remotes();
    await expect(manager.setSubset(remote!.id, { query: 'title:=(' })).rejects.toMatchObject({ status: 400 });
    await manager.setSubset(remote!.id, { portal_types: ['Notebook'] });
    expect((await manager.remotes())[0]?.subset).toEqual({ portal_types: ['Notebook'] });
    await manager.syncOnce();
    const ids = async () => (await local.allDocs()).rows.map((row) => row.id).sort();
    expect(await ids()).toEqual(Array.from({ length: 30 }, (_, index) => `note-${index}`).sort());

    await local.put('made-here', { portal_type: 'Data Array', title: 'Recorded on this tablet' });
    await manager.syncOnce();
    expect((await fetch(`${database}/made-here`)).status).toBe(200);

    await manager.setSubset(remote!.id, { portal_types: ['Notebook', 'Data Array'], query: 'title:%pump%' });
    await manager.syncOnce();
    expect(await ids()).toContain('array-pump');
    expect(await ids()).not.toContain('array-fan');
    expect(await ids()).not.toContain('image-1');
    expect(await ids()).toContain('made-here'); // made here: kept, though the query does not match it
    await manager.setSubset(remote!.id, undefined);
    await manager.syncOnce();
    expect(await ids()).toEqual(expect.arrayContaining(['array-fan', 'image-1']));
  });
});
