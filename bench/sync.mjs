// `npm run bench:sync`: our replicator against PouchDB's replication, both to and from the same local pouchdb-server in one
// run: 10,000 small documents and 100 MB of array bytes (QUICK=1: 2,000 and 20 MB); plus a sync with nothing to do and a
// sync resumed after a kill (batches sent again).
import { createServer } from 'vite';
import PouchDB from 'pouchdb';
import MemoryAdapter from 'pouchdb-adapter-memory';
import { startPouchServer } from '../scripts/pouchdb-server.mjs';
import { printResult } from './browser.mjs';

PouchDB.plugin(MemoryAdapter);
const quick = process.env.QUICK === '1';
const docs = quick ? 2000 : 10_000;
const megabytes = quick ? 20 : 100;

const couch = await startPouchServer({ inMemory: true, adminParty: true });
const vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, server: { middlewareMode: true, hmr: false }, logLevel: 'warn', appType: 'custom' });
const seconds = async (work) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};
try {
  const ours = await vite.ssrLoadModule('/bench/sync.bench.ts');
  const r = await ours.run({ url: `${couch.url}ours`, resumeUrl: `${couch.url}resume`, docs, megabytes });

  const pouchUrl = `${couch.url}pouch`;
  const local = new PouchDB(`bench-local-${Date.now()}`, { adapter: 'memory' });
  const rows = Array.from({ length: docs }, (_, index) => ({ _id: `doc-${index}`, portal_type: 'Notebook', title: `note ${index}`, n: index }));
  for (let at = 0; at < rows.length; at += 1000) await local.bulkDocs(rows.slice(at, at + 1000));
  const pouchDocsPush = await seconds(() => local.replicate.to(pouchUrl));
  const pulled = new PouchDB(`bench-pull-${Date.now()}`, { adapter: 'memory' });
  const pouchDocsPull = await seconds(() => pulled.replicate.from(pouchUrl));
  for (let index = 0; index < megabytes / 10; index += 1) {
    await local.put({ _id: `array-${index}`, _attachments: { data: { content_type: 'application/octet-stream', data: Buffer.from(ours.payload(index)) } } });
  }
  const pouchBytesPush = await seconds(() => local.replicate.to(pouchUrl));
  const pouchBytesPull = await seconds(() => pulled.replicate.from(pouchUrl));

  const docsPerS = (2 * docs) / (r.docsPush + r.docsPull);
  const pouchDocsPerS = (2 * docs) / (pouchDocsPush + pouchDocsPull);
  const mbPerS = (2 * megabytes) / (r.bytesPush + r.bytesPull);
  const pouchMbPerS = (2 * megabytes) / (pouchBytesPush + pouchBytesPull);
  console.log(`${docs} documents pushed + pulled: ours ${docsPerS.toFixed(0)} docs/s, PouchDB ${pouchDocsPerS.toFixed(0)} docs/s (${(docsPerS / pouchDocsPerS).toFixed(2)}×)`);
  console.log(`${megabytes} MB of arrays pushed + pulled: ours ${mbPerS.toFixed(1)} MB/s, PouchDB ${pouchMbPerS.toFixed(1)} MB/s (${(mbPerS / pouchMbPerS).toFixed(2)}×)`);
  console.log(`  push: ours ${(megabytes / r.bytesPush).toFixed(1)} MB/s, PouchDB ${(megabytes / pouchBytesPush).toFixed(1)} MB/s; pull: ours ${(megabytes / r.bytesPull).toFixed(1)} MB/s, PouchDB ${(megabytes / pouchBytesPull).toFixed(1)} MB/s`);
  console.log(`sync with nothing to do: ${r.noopMs.toFixed(0)} ms; killed after batch ${r.batchesBeforeKill} of 20, the resumed sync sent ${r.resentBatches} batch(es) again`);
  printResult('sync', { docs_per_s: docsPerS, pouchdb_docs_per_s: pouchDocsPerS, mb_per_s: mbPerS, pouchdb_mb_per_s: pouchMbPerS, noop_sync_ms: r.noopMs, resent_batches: r.resentBatches });
  await local.destroy();
  await pulled.destroy();
} finally {
  await vite.close();
  await couch.stop();
}
