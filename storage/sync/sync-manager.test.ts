import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { createLocalStorage } from '../local-storage';
import { SyncManager, type SyncStatus } from './sync-manager';

let couch: { url: string; stop(): Promise<void> };
/** A proxy in front of pouchdb-server that can be told to fail: HTTP 500, garbage, or no answer at all. */
let proxy: Server;
let proxyUrl: string;
let mode: 'ok' | '500' | 'garbage' | 'down' = 'ok';
let counter = 0;

beforeAll(async () => {
  couch = await startPouchServer({ inMemory: true });
  const target = new URL(couch.url);
  proxy = createServer((req, res) => {
    if (mode === '500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal","reason":"disk on fire"}');
    if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>');
    if (mode === 'down') return void req.socket.destroy();
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
}, 30_000);
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await couch?.stop();
});

async function setup() {
  const name = `sync-manager-${++counter}`;
  const local = createLocalStorage(name);
  const manager = new SyncManager(local, { stateName: `${name}-sync`, pollMs: 60_000, debounceMs: 50 });
  const database = `${proxyUrl}db-${counter}`;
  await fetch(database, { method: 'PUT' });
  await manager.addRemote({ url: database, title: 'test server' });
  return { local, manager, database };
}

const waitFor = async (manager: SyncManager, check: (status: SyncStatus) => boolean) => {
  for (let attempt = 0; attempt < 400 && !check(manager.status.value); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(check(manager.status.value), JSON.stringify(manager.status.value)).toBe(true);
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
      mode = failure;
      await expect(manager.syncOnce()).rejects.toThrow(expected);
      expect(await local.get('note')).toEqual({ portal_type: 'Notebook', title: 'kept' });

      // The live loop reports the error with its retry time, then a "Sync now" after recovery succeeds.
      const controller = new AbortController();
      const running = manager.run(controller.signal);
      await waitFor(manager, (status) => status.state === 'error' && /Next try in \d+ s/.test(status.message));
      mode = 'ok';
      manager.syncSoon();
      await waitFor(manager, (status) => status.state === 'idle' && status.lastSync !== undefined);
      controller.abort();
      await running;
      const onServer = (await (await fetch(`${database}/note`)).json()) as { title?: string };
      expect(onServer.title).toBe('kept');
    });
  }
});

describe('checking a remote before it is saved', () => {
  it('creates a missing database, refuses a wrong password and a server that is not CouchDB, each with its message', async () => {
    const { verifyRemote } = await import('./verify-remote');
    expect(await verifyRemote(`${couch.url}fresh-${++counter}`)).toEqual({ created: true });
    await expect(verifyRemote(`${couch.url}fresh-${counter}`, { user: 'nobody', password: 'wrong' })).rejects.toThrow(
      'The server refused this name and password. Check them and try again.',
    );
    mode = 'garbage';
    await expect(verifyRemote(`${proxyUrl}anything`)).rejects.toThrow(/not as a CouchDB server/);
    mode = 'down';
    await expect(verifyRemote(`${proxyUrl}anything`)).rejects.toThrow(/cannot be reached/);
    mode = 'ok';
  });
});
