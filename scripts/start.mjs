// `npm start`: builds the production app and serves it on 127.0.0.1 (service worker active), with the local sync
// server (pouchdb-server, data kept in .data/couch) behind the same origin at /db/. PORT overrides the app port
// (default 4173); SYNC_PORT the sync server's (default: a free one). The sync server's admin is made at first start:
// its name and password are printed then, and kept in .data/couch/admin.json (readable by this user only).
import { build } from 'vite';
import { join, relative } from 'node:path';
import { startStaticServer } from './serve.mjs';
import { startPouchServer } from './pouchdb-server.mjs';

const port = Number(process.env.PORT ?? 4173);
const repo = new URL('../', import.meta.url).pathname;

console.log('Building Fieldscope…');
await build({ configFile: join(repo, 'vite.config.ts'), logLevel: 'warn' });

let sync;
try {
  sync = await startPouchServer({ port: Number(process.env.SYNC_PORT ?? 0), dataDir: join(repo, '.data', 'couch') });
} catch (error) {
  console.warn(`The local sync server did not start (${error instanceof Error ? error.message : error}); the app works offline without it.`);
}

const app = await startStaticServer({ root: join(repo, 'dist'), port, proxies: sync ? { '/db/': sync.url } : {} });
console.log(`\nFieldscope is running at ${app.url}  (Ctrl+C to stop)`);
if (sync) {
  const file = relative(repo, sync.credentialsFile);
  console.log(`Local sync server: ${app.url}db/  (data in .data/couch; add it on the Remotes page, signed in as its admin)`);
  if (sync.createdAdmin) {
    console.log(`\nFirst start: the sync server's admin was created. Sign in with\n  name:     ${sync.admin.name}\n  password: ${sync.admin.password}`);
    console.log(`This is shown only now; it is kept in ${file} (readable by you only) if you need it again.`);
  } else {
    console.log(`Sign in as ${sync.admin.name}; the password is in ${file}.`);
  }
}

const stop = async () => {
  await app.stop();
  await sync?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
