// Starts and stops a local pouchdb-server (a CouchDB-protocol server) on 127.0.0.1: in memory for tests and benches,
// persisted under a data folder (default ./.data/pouchdb) for `npm start`. Locked down by default: an admin made at
// first start (its generated password kept in the data folder, mode 0600), a signed-in user required for everything but
// the welcome and `_session`, no CORS, only its own loopback Host (scripts/pouchdb-guard.mjs). Run directly for a
// standalone server:   node scripts/pouchdb-server.mjs [--port 5984] [--memory] [--data .data/pouchdb] [--admin-party]
import { spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(repo, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');
const GUARD = new URL('./pouchdb-guard.mjs', import.meta.url).href;
/** The admin's name; its password is generated at first start. */
const ADMIN_NAME = 'admin';
/** Where the admin's name and password are kept, in the server's data folder. */
export const CREDENTIALS_FILE = 'admin.json';

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race with other processes is retried by the caller). */
export async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * Starts pouchdb-server on 127.0.0.1 and waits (at most `timeoutMs`) until it answers.
 * @param {{ port?: number, dataDir?: string, inMemory?: boolean, timeoutMs?: number, quiet?: boolean, adminParty?: boolean }} [options]
 *   port 0 or unset picks a free port; inMemory (default true unless dataDir is given) keeps nothing on disk;
 *   dataDir (default ./.data/pouchdb when not in memory) holds the databases, config.json, log.txt and admin.json;
 *   adminParty (default false) leaves it open to anyone on this machine, as pouchdb-server is out of the box (CORS off
 *   still): only for tests of the sync protocol, never for a server a browser can reach.
 * @returns {Promise<{ url: string, port: number, admin?: { name: string, password: string }, createdAdmin: boolean,
 *   credentialsFile?: string, stop(): Promise<void> }>} url ends with '/'; createdAdmin is true at first start.
 */
export async function startPouchServer({ port = 0, dataDir, inMemory = dataDir === undefined, timeoutMs = 20_000, quiet = true, adminParty = false } = {}) {
  let lastError;
  // An attempt that made the admin and then failed (a port taken meanwhile) still made it: the next one says so.
  const firstStart = { createdAdmin: false };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce({ port: port || (await freePort()), dataDir, inMemory, timeoutMs, quiet, adminParty, firstStart });
    } catch (error) {
      lastError = error;
      if (port) break; // a fixed port that fails will not succeed on retry
    }
  }
  throw lastError;
}

const SESSION_SECONDS = 30 * 24 * 3600;

async function startOnce({ port, dataDir, inMemory, timeoutMs, quiet, adminParty, firstStart }) {
  // pouchdb-server writes config.json and log.txt into its working folder: give it its own.
  const scratch = inMemory ? mkdtempSync(join(tmpdir(), 'fieldscope-pouch-')) : resolve(dataDir ?? join(repo, '.data', 'pouchdb'));
  mkdirSync(scratch, { recursive: true });
  const config = join(scratch, 'config.json');
  const settings = readJson(config) ?? {};
  if (inMemory) settings.log = { file: join(scratch, 'log.txt'), level: 'error' };
  // Same origin through the app's /db/ proxy: CORS would only let other sites' pages in.
  settings.httpd = { ...settings.httpd, enable_cors: false };
  const credentials = adminParty ? undefined : adminCredentials(scratch);
  if (credentials) {
    firstStart.createdAdmin ||= credentials.created;
    // Sessions are signed with this secret: kept, so a restart does not sign every tablet out.
    // A session lasts 30 days (CouchDB's default is 10 minutes, refreshed by use): a tablet back from a fortnight in the
    // field syncs without signing in again.
    settings.couch_httpd_auth = { secret: randomBytes(16).toString('hex'), timeout: SESSION_SECONDS, ...settings.couch_httpd_auth };
    // Written hashed, as pouchdb-server would hash it, so it is never readable here and is in force from the first request.
    if (firstStart.createdAdmin || !settings.admins?.[credentials.name]) settings.admins = { ...settings.admins, [credentials.name]: hashAdminPassword(credentials.password) };
  }
  writeFileSync(config, JSON.stringify(settings, null, 2), { mode: 0o600 });
  chmodSync(config, 0o600); // holds the signing secret; an older file may have been made readable by all
  const args = [...(adminParty ? [] : ['--import', GUARD]), BIN, '--port', String(port), '--host', '127.0.0.1', '--config', config, '--no-color'];
  if (inMemory) args.push('--in-memory');
  else args.push('--dir', scratch);
  // express-pouchdb keeps each multipart upload (how the sync sends array pieces) as a temp file and never deletes it:
  // they go to a folder of this server's own, emptied at start and swept while it runs.
  const uploads = join(scratch, '.uploads');
  rmSync(uploads, { recursive: true, force: true });
  mkdirSync(uploads);
  const sweep = setInterval(() => sweepUploads(uploads, 60_000), 30_000);
  sweep.unref();
  const child = spawn(process.execPath, args, { cwd: scratch, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'], env: { ...process.env, TMPDIR: uploads } });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    clearInterval(sweep);
    if (!exited) {
      const gone = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    if (inMemory) rmSync(scratch, { recursive: true, force: true });
    else rmSync(uploads, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) {
        const body = await response.json();
        if (body && (body.couchdb || body.express_pouchdb || body.version)) {
          if (!credentials) return { url, port, createdAdmin: false, stop };
          const admin = { name: credentials.name, password: credentials.password };
          return { url, port, admin, createdAdmin: firstStart.createdAdmin, credentialsFile: credentials.file, stop };
        }
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await stop();
  throw new Error(`pouchdb-server did not start on port ${port} within ${timeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`);
}

/**
 * The admin's name and password, from the data folder's admin.json, or generated and written there (mode 0600) at first
 * start (`created`).
 */
function adminCredentials(folder) {
  const file = join(folder, CREDENTIALS_FILE);
  const kept = readJson(file);
  if (kept && typeof kept.name === 'string' && typeof kept.password === 'string') return { name: kept.name, password: kept.password, created: false, file };
  const admin = { name: ADMIN_NAME, password: randomBytes(18).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(admin, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // also when a broken file was there before
  return { ...admin, created: true, file };
}

/** CouchDB's stored form of an admin password (PBKDF2-SHA1, 10 rounds, 20 bytes, as pouchdb-server writes it). */
function hashAdminPassword(password) {
  const salt = randomBytes(16).toString('hex');
  return `-pbkdf2-${pbkdf2Sync(password, salt, 10, 20, 'sha1').toString('hex')},${salt},10`;
}

function readJson(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Deletes uploads older than `ageMs` (the server reads each one as soon as its request has arrived). */
function sweepUploads(folder, ageMs) {
  try {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (Date.now() - statSync(path).mtimeMs > ageMs) rmSync(path, { force: true });
    }
  } catch {
    // the folder went with the server
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (name) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const inMemory = argv.includes('--memory');
  const server = await startPouchServer({
    port: Number(value('--port') ?? 5984),
    inMemory,
    dataDir: inMemory ? undefined : value('--data') ?? join(repo, '.data', 'pouchdb'),
    adminParty: argv.includes('--admin-party'),
  });
  console.log(`pouchdb-server running at ${server.url} (${inMemory ? 'in memory' : 'data in ' + (value('--data') ?? '.data/pouchdb')})`);
  if (server.admin && (server.createdAdmin || inMemory)) console.log(`Admin: ${server.admin.name} / ${server.admin.password} (kept in ${server.credentialsFile})`);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
