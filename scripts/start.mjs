// `npm start`: builds the production app and serves it on 127.0.0.1 (service worker active), with the local sync
// server behind the same origin at /db/ when one is available. PORT overrides the app port (default 4173).
import { build } from 'vite';
import { startStaticServer } from './serve.mjs';

const port = Number(process.env.PORT ?? 4173);
const root = new URL('../dist/', import.meta.url).pathname;

console.log('Building Fieldscope…');
await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });

const app = await startStaticServer({ root, port });
console.log(`\nFieldscope is running at ${app.url}  (Ctrl+C to stop)`);

const stop = async () => {
  await app.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
