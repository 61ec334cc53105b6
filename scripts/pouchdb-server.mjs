// Starts and stops a local pouchdb-server (a CouchDB-protocol server) on 127.0.0.1: in memory for tests and benches,
// persisted under a data folder (default ./.data/pouchdb) for `npm start`. Run directly for a standalone server:
//   node scripts/pouchdb-server.mjs [--port 5984] [--memory] [--data .data/pouchdb]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(repo, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');

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
 * @param {{ port?: number, dataDir?: string, inMemory?: boolean, timeoutMs?: number, quiet?: boolean }} [options]
 *   port 0 or unset picks a free port; inMemory (default true unless dataDir is given) keeps nothing on disk;
 *   dataDir (default ./.data/pouchdb when not in memory) holds the databases, config.json and log.txt.
 * @returns {Promise<{ url: string, port: number, stop(): Promise<void> }>} url ends with '/'.
 */
export async function startPouchServer({ port = 0, dataDir, inMemory = dataDir === undefined, timeoutMs = 20_000, quiet = true } = {}) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce({ port: port || (await freePort()), dataDir, inMemory, timeoutMs, quiet });
    } catch (error) {
      lastError = error;
      if (port) break; // a fixed port that fails will not succeed on retry
    }
  }
  throw lastError;
}

async function startOnce({ port, dataDir, inMemory, timeoutMs, quiet }) {
  // pouchdb-server writes config.json and log.txt into its working folder: give it its own.
  const scratch = inMemory ? mkdtempSync(join(tmpdir(), 'fieldscope-pouch-')) : resolve(dataDir ?? join(repo, '.data', 'pouchdb'));
  mkdirSync(scratch, { recursive: true });
  const config = join(scratch, 'config.json');
  if (inMemory) writeFileSync(config, JSON.stringify({ log: { file: join(scratch, 'log.txt'), level: 'error' } }));
  const args = [BIN, '--port', String(port), '--host', '127.0.0.1', '--config', config, '--no-color'];
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
        if (body && (body.couchdb || body.express_pouchdb || body.version)) return { url, port, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await stop();
  throw new Error(`pouchdb-server did not start on port ${port} within ${timeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`);
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
  });
  console.log(`pouchdb-server running at ${server.url} (${inMemory ? 'in memory' : 'data in ' + (value('--data') ?? '.data/pouchdb')})`);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
