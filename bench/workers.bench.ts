// The measurements of `npm run bench:workers` (bench/workers.mjs runs this in Node): documents processed per second by
// 1, 2 and 4 server worker processes on one pouchdb-server, steps done twice, and ingest through a link dropping 20 %
// of connections against the same ingest on a clean link.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPouchServer } from '../scripts/pouchdb-server.mjs';
import { encodeWav } from '../compute/ingest/wav-encoder';
import type { ProcessStep } from '../storage';
import { CouchClient, type CouchDoc } from '../storage/remote/couch-client';
import { CouchStorage } from '../storage/remote/couch-storage';
import { toBase64 } from '../storage/remote/pieces';
import { startFaultProxy } from '../storage/testing/fault-proxy';
import { runIngest } from '../server/ingest/run-ingest';
import { ensureStepIndex } from '../server/step-index';

export interface WorkersBench {
  docs: number;
  steps: number;
  seconds: Record<number, number>;
  docsPerS: Record<number, number>;
  duplicateSteps: number;
  ingestMegabytes: number;
  ingestMbS: number;
  ingestMbSFlaky: number;
  dropped: number;
  retries: number;
}

const ARRAYS = Number(process.env['BENCH_ARRAYS'] ?? 600);
const STREAMS = Number(process.env['BENCH_STREAMS'] ?? 12);
const INGEST_MB = Number(process.env['BENCH_INGEST_MB'] ?? 32);
/** Piece size of the ingest: 1 MiB, so a run makes enough requests for a 20 % drop rate to show. */
const PIECE = 1024 * 1024;

const piece = (bytes: Uint8Array) => ({ 'data#0': { content_type: 'application/octet-stream', data: toBase64(bytes) } });

/** The documents a round processes: arrays (one step: statistics) and WAV streams (decode, statistics, spectrum, statistics of the spectrum). */
function corpus(): CouchDoc[] {
  const arrays = Array.from({ length: ARRAYS }, (_, index): CouchDoc => {
    const samples = Float32Array.from({ length: 4096 }, (_, at) => Math.sin(index + at / 64));
    return { _id: `array-${index}`, portal_type: 'Data Array', title: `array ${index}`, reference: `a${index}`, modification_date: '2026-01-01', dtype: 'float32', shape: [4096], pyramid: { base: 512, dtype: 'float32' }, _attachments: piece(new Uint8Array(samples.buffer)) };
  });
  const streams = Array.from({ length: STREAMS }, (_, index): CouchDoc => {
    const tone = Array.from({ length: 16_384 }, (_, at) => 0.5 * Math.sin((2 * Math.PI * (300 + 50 * index) * at) / 8000));
    return { _id: `stream-${index}`, portal_type: 'Data Stream', title: `s${index}.wav`, reference: `s${index}`, modification_date: '2026-01-01', content_type: 'audio/wav', status: 'complete', _attachments: piece(encodeWav(tone, { sampleRate: 8000 })) };
  });
  return [...arrays, ...streams];
}

/** `npm run worker` processes, each printing a line per step. */
function startWorkers(count: number, url: string, admin: { name: string; password: string }): { children: ChildProcess[]; lines: string[]; ready: Promise<void> } {
  const lines: string[] = [];
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'server/worker.ts', '--remote', url, '--user', admin.name, '--id', `bench-${index}`, '--poll-ms', '100', '--lease-ms', '30000', '--retry-base-ms', '200'], {
      env: { ...process.env, FIELDSCOPE_PASSWORD: admin.password },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let buffered = '';
    ready.push(
      new Promise((resolve) => {
        child.stdout!.on('data', (part: Buffer) => {
          buffered += part.toString();
          const complete = buffered.split('\n');
          buffered = complete.pop()!;
          for (const line of complete) {
            if (line.includes('running the chain')) resolve();
            else lines.push(`${index} ${line}`);
          }
        });
      }),
    );
  }
  return { children, lines, ready: Promise.all(ready).then(() => undefined) };
}

async function round(count: number, serverUrl: string, admin: { name: string; password: string }, expectedSteps: number): Promise<{ seconds: number; duplicates: number }> {
  const url = `${serverUrl}workers-${count}`;
  const client = new CouchClient({ url, auth: admin });
  await client.create();
  await ensureStepIndex(client);
  const workers = startWorkers(count, url, admin);
  await workers.ready;
  const docs = corpus();
  const started = performance.now();
  for (let at = 0; at < docs.length; at += 100) await client.bulkDocs(docs.slice(at, at + 100));
  const done = () => workers.lines.filter((line) => / done /.test(` ${line.split(' ').slice(1).join(' ')}`)).length;
  while (done() < expectedSteps) {
    if (performance.now() - started > 60_000) throw new Error(`${count} workers: only ${done()} of ${expectedSteps} steps after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  for (const child of workers.children) child.kill('SIGTERM');
  await Promise.all(workers.children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  // Steps done twice: in the records on the server (what a user sees) and in the workers' own lines.
  const rows = (await new CouchStorage(client).allDocs({ include_docs: true })).rows;
  let duplicates = 0;
  for (const row of rows) {
    const names = ((row.doc!['process'] as ProcessStep[] | undefined) ?? []).filter((step) => step.status === 'done').map((step) => step.name);
    duplicates += names.length - new Set(names).size;
  }
  const keys = workers.lines.filter((line) => line.split(' ')[1] === 'done').map((line) => line.split(' ').slice(2, 4).join(' '));
  duplicates = Math.max(duplicates, keys.length - new Set(keys).size);
  const total = rows.reduce((sum, row) => sum + ((row.doc!['process'] as ProcessStep[] | undefined) ?? []).filter((step) => step.status === 'done').length, 0);
  if (total < expectedSteps) throw new Error(`${count} workers: ${total} steps recorded, ${expectedSteps} expected`);
  await client.destroy();
  return { seconds, duplicates };
}

async function ingest(serverUrl: string, admin: { name: string; password: string }, file: string, name: string, dropRate: number) {
  const proxy = await startFaultProxy(serverUrl);
  try {
    const dbUrl = `${proxy.url}ingest-${name}`;
    await new CouchClient({ url: `${serverUrl}ingest-${name}`, auth: admin }).create();
    proxy.dropConnections(dropRate, 20);
    const dir = mkdtempSync(join(tmpdir(), 'fieldscope-bench-ingest-'));
    const started = performance.now();
    const progress = await runIngest({ storage: new CouchStorage(new CouchClient({ url: dbUrl, auth: admin, timeoutMs: 10_000 })), stream: 'bench', input: file, posFile: join(dir, 'pos'), pieceBytes: PIECE, baseBackoffMs: 20, maxBackoffMs: 500 });
    const seconds = (performance.now() - started) / 1000;
    rmSync(dir, { recursive: true, force: true });
    return { mbS: progress.sent / 1e6 / seconds, dropped: proxy.dropped, retries: progress.retries, sent: progress.sent };
  } finally {
    await proxy.stop();
  }
}

export async function run(): Promise<WorkersBench> {
  const server = await startPouchServer({ inMemory: true });
  try {
    const docs = ARRAYS + STREAMS;
    const steps = ARRAYS + STREAMS * 4;
    const seconds: Record<number, number> = {};
    const docsPerS: Record<number, number> = {};
    let duplicateSteps = 0;
    for (const count of [1, 2, 4]) {
      const result = await round(count, server.url, server.admin, steps);
      seconds[count] = result.seconds;
      docsPerS[count] = docs / result.seconds;
      duplicateSteps += result.duplicates;
      console.log(`${count} worker${count > 1 ? 's' : ''}: ${docs} documents (${steps} steps) in ${result.seconds.toFixed(2)} s = ${docsPerS[count]!.toFixed(1)} documents/s, ${result.duplicates} steps done twice`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'fieldscope-bench-file-'));
    const file = join(dir, 'sensor.bin');
    writeFileSync(file, randomBytes(INGEST_MB * 1e6));
    await ingest(server.url, server.admin, file, 'warm-up', 0); // the first run pays for JIT and the server's warm-up
    const clean = await ingest(server.url, server.admin, file, 'clean', 0);
    const flaky = await ingest(server.url, server.admin, file, 'flaky', 0.2);
    rmSync(dir, { recursive: true, force: true });
    if (clean.sent !== INGEST_MB * 1e6 || flaky.sent !== INGEST_MB * 1e6) throw new Error(`ingest sent ${clean.sent} and ${flaky.sent} bytes of ${INGEST_MB * 1e6}`);
    console.log(`ingest of ${INGEST_MB} MB: ${clean.mbS.toFixed(2)} MB/s on a clean link, ${flaky.mbS.toFixed(2)} MB/s dropping 20 % of connections (${flaky.dropped} dropped, ${flaky.retries} retries), ratio ${(flaky.mbS / clean.mbS).toFixed(2)}`);
    return { docs, steps, seconds, docsPerS, duplicateSteps, ingestMegabytes: INGEST_MB, ingestMbS: clean.mbS, ingestMbSFlaky: flaky.mbS, dropped: flaky.dropped, retries: flaky.retries };
  } finally {
    await server.stop();
  }
}
