// `npm run bench:workers`: documents processed per second by 1, 2 and 4 server worker processes (`npm run worker`) on
// one local pouchdb-server, steps done twice (must be 0), and `npm run ingest`'s MB/s through a proxy dropping 20 % of
// connections, against the same ingest on a clean link. The machine's cores are shared by pouchdb-server and the
// workers: the scaling printed is this machine's, not CouchDB's. BENCH_ARRAYS, BENCH_STREAMS, BENCH_INGEST_MB resize it.
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { printResult } from './browser.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { module } = await runnerImport(resolve(repo, 'bench/workers.bench.ts'), {
  configFile: false,
  root: repo,
  logLevel: 'error',
  resolve: { alias: { 'protobufjs/minimal': resolve(repo, 'compute/statistics/no-protobuf.ts') } },
});
const r = await module.run();
console.log(`${cpus().length} cores; scaling vs 1 worker: 2 workers ×${(r.docsPerS[2] / r.docsPerS[1]).toFixed(2)}, 4 workers ×${(r.docsPerS[4] / r.docsPerS[1]).toFixed(2)}`);
printResult('workers', {
  docs_per_s_1: r.docsPerS[1],
  docs_per_s_2: r.docsPerS[2],
  docs_per_s_4: r.docsPerS[4],
  duplicate_steps: r.duplicateSteps,
  ingest_mb_s_flaky: r.ingestMbSFlaky,
});
