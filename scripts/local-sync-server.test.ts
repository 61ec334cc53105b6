import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPouchServer } from './pouchdb-server.mjs';
import { startStaticServer } from './serve.mjs';

// The local sync server as `npm start` runs it (persisted, default options) behind the app's /db/ proxy: what a web page
// on another origin, a DNS-rebound name or an anonymous client gets from it.

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch may not set Host), to 127.0.0.1 whatever the Host header says. */
function send(url: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  return new Promise((done, fail) => {
    const outgoing = request({ host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method, headers }, (reply) => {
      let text = '';
      reply.setEncoding('utf8');
      reply.on('data', (chunk: string) => (text += chunk));
      reply.on('end', () => done({ status: reply.statusCode ?? 0, headers: reply.headers, body: text }));
    });
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

const json = (answer: Answer) => JSON.parse(answer.body) as Record<string, unknown>;

let dataDir: string;
let sync: Awaited<ReturnType<typeof startPouchServer>>;
let app: Awaited<ReturnType<typeof startStaticServer>>;
let db: string; // the app's /db/ on its own origin
let own: string; // the app's host:port

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fieldscope-locked-'));
  sync = await startPouchServer({ dataDir: join(dataDir, 'couch') });
  app = await startStaticServer({ root: dataDir, proxies: { '/db/': sync.url } });
  db = `${app.url}db/`;
  own = new URL(app.url).host;
}, 30_000);
afterAll(async () => {
  await app?.stop();
  await sync?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(base: string, name: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const answer = await send(`${base}_session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name, password }) });
  expect(answer.status).toBe(200);
  const cookie = String(answer.headers['set-cookie'] ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^AuthSession=./);
  return cookie;
}

describe('the local sync server at first start', () => {
  it('creates an admin with a generated password, kept in a file only its owner reads', () => {
    expect(sync.admin.name).toBe('admin');
    expect(sync.admin.password.length).toBeGreaterThanOrEqual(20);
    expect(sync.createdAdmin).toBe(true);
    expect(statSync(sync.credentialsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(sync.credentialsFile, 'utf8'))).toMatchObject(sync.admin);
    // pouchdb-server's own config keeps a hash, not the password, and the session secret: for its owner only too.
    const config = join(dataDir, 'couch', 'config.json');
    expect(readFileSync(config, 'utf8')).not.toContain(sync.admin.password);
    expect(readFileSync(config, 'utf8')).toMatch(/"admin": "-pbkdf2-/);
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });
});

describe('the /db/ proxy', () => {
  it('refuses a request from a page on another origin with 403 and says why', async () => {
    const answer = await send(`${db}_all_dbs`, { headers: { origin: 'http://evil.example', host: own } });
    console.log(`foreign Origin → ${answer.status} ${answer.body}`);
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(json(answer)).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/origin/i) });
  });

  it('refuses Origin: null (sandboxed frames, file: pages)', async () => {
    const answer = await send(`${db}_all_dbs`, { headers: { origin: 'null', host: own } });
    expect(answer.status).toBe(403);
    expect(json(answer)).toMatchObject({ error: 'forbidden' });
  });

  it("refuses another page's image or script, which carries no Origin but says where it comes from", async () => {
    for (const site of ['cross-site', 'same-site']) {
      const answer = await send(`${db}_all_dbs`, { headers: { 'sec-fetch-site': site } });
      expect(answer.status).toBe(403);
    }
    expect((await send(`${db}_all_dbs`, { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(401); // on to sign-in
  });

  it('refuses a foreign Host (a DNS-rebound name), even with a matching Origin', async () => {
    const host = `evil.example:${app.port}`;
    const answer = await send(`${db}_all_dbs`, { headers: { host, origin: `http://${host}` } });
    expect(answer.status).toBe(403);
    expect(json(answer)).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/host/i) });
    expect((await send(`${db}_session`, { method: 'POST', headers: { host } })).status).toBe(403);
  });

  it('asks an anonymous client to sign in (401), but still says it is a CouchDB server', async () => {
    const anonymous = await send(`${db}_all_dbs`);
    expect(anonymous.status).toBe(401);
    expect(json(anonymous)).toMatchObject({ error: 'unauthorized', reason: expect.stringMatching(/sign in/i) });
    expect((await send(`${db}fieldscope`, { method: 'PUT' })).status).toBe(401);
    expect(json(await send(db))).toHaveProperty('version');
  });

  it('works for the app itself once signed in with the admin session', async () => {
    for (const host of [own, `localhost:${app.port}`]) {
      const cookie = await signIn(db, sync.admin.name, sync.admin.password, { host, origin: `http://${host}` });
      const created = await send(`${db}proxied`, { method: 'PUT', headers: { cookie, host, origin: `http://${host}` } });
      expect([201, 412]).toContain(created.status);
      const list = await send(`${db}_all_dbs`, { headers: { cookie, host } });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.body)).toContain('proxied');
      expect(list.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('keeps a session valid for 30 days (CouchDB signs them for 10 minutes), so a tablet back from the field syncs without signing in again', () => {
    // pouchdb-server checks a session cookie's signed time against this timeout; it does not expose it otherwise.
    const config = JSON.parse(readFileSync(join(dataDir, 'couch', 'config.json'), 'utf8')) as { couch_httpd_auth?: { timeout?: number } };
    expect(config.couch_httpd_auth?.timeout).toBe(30 * 24 * 3600);
  });

  it('a wrong password is refused', async () => {
    const answer = await send(`${db}_session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin', password: 'guess' }) });
    expect(answer.status).toBe(401);
  });
});

describe('pouchdb-server itself', () => {
  it('sends no CORS headers to another origin, even for its admin', async () => {
    const basic = `Basic ${Buffer.from(`${sync.admin.name}:${sync.admin.password}`).toString('base64')}`;
    const answer = await send(`${sync.url}_all_dbs`, { headers: { origin: 'http://evil.example', authorization: basic } });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses a foreign Host and anonymous clients (no sign-up, no reading)', async () => {
    expect((await send(`${sync.url}_all_dbs`, { headers: { host: `evil.example:${sync.port}` } })).status).toBe(403);
    expect((await send(`${sync.url}_all_dbs`)).status).toBe(401);
    expect((await send(`${sync.url}fieldscope`, { method: 'PUT' })).status).toBe(401);
    const signUp = await send(`${sync.url}_users/org.couchdb.user:mallory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'mallory', password: 'x', roles: [], type: 'user' }),
    });
    expect(signUp.status).toBe(401);
    // A forged cookie is not a session.
    expect((await send(`${sync.url}_all_dbs`, { headers: { cookie: 'AuthSession=YWRtaW46NjAwMDAwMDA6AAAA' } })).status).toBe(401);
  });

  it('a signed-in user who is not an admin may not create a database (403, the server keeps running)', async () => {
    const admin = await signIn(sync.url, sync.admin.name, sync.admin.password);
    const user = await send(`${sync.url}_users/org.couchdb.user:tech`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ name: 'tech', password: 'field-secret', roles: [], type: 'user' }),
    });
    expect(user.status).toBe(201);
    const tech = await signIn(sync.url, 'tech', 'field-secret');
    expect((await send(`${sync.url}techs-own`, { method: 'PUT', headers: { cookie: tech } })).status).toBe(403);
    expect((await send(`${sync.url}_all_dbs`, { headers: { cookie: tech } })).status).toBe(200);
  });
});

describe('the next start', () => {
  it('keeps the same admin and signing secret: no new password, sessions survive the restart', async () => {
    const cookie = await signIn(db, sync.admin.name, sync.admin.password);
    const before = sync.admin;
    await app.stop();
    await sync.stop();
    sync = await startPouchServer({ dataDir: join(dataDir, 'couch') });
    app = await startStaticServer({ root: dataDir, proxies: { '/db/': sync.url } });
    expect(sync.createdAdmin).toBe(false);
    expect(sync.admin).toEqual(before);
    expect((await send(`${app.url}db/_all_dbs`, { headers: { cookie } })).status).toBe(200);
  }, 30_000);
});
