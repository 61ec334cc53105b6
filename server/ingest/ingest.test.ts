import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer, type LockedPouchServer } from '../../scripts/pouchdb-server.mjs';
import { CouchClient } from '../../storage/remote/couch-client';
import { CouchStorage } from '../../storage/remote/couch-storage';
import { startFaultProxy } from '../../storage/testing/fault-proxy';
import { runCli } from '../testing/cli-process';
import { PosFile } from './pos-file';
import { runIngest } from './run-ingest';

let server: LockedPouchServer;
let counter = 0;
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true });
}, 30_000);
afterAll(async () => server?.stop());

async function database(base = server.url): Promise<{ client: CouchClient; url: string }> {
  const url = `${base}ingest-${++counter}`;
  const client = new CouchClient({ url, auth: server.admin, timeoutMs: 5000 });
  await new CouchClient({ url: `${server.url}ingest-${counter}`, auth: server.admin }).create();
  return { client, url };
}

const folder = () => mkdtempSync(join(tmpdir(), 'fieldscope-ingest-'));

async function streamBytes(client: CouchClient, id: string): Promise<Buffer> {
  return Buffer.from(await new CouchStorage(client).getAttachment(id, 'data', { format: 'arraybuffer' }));
}

const ingestProcess = (args: string[]) => runCli('server/ingest.ts', [...args, '--progress-ms', '0'], server.admin);

describe('npm run ingest: a file, a folder or standard input appended to a Data Stream on the server', () => {
  it('killed (SIGKILL) in the middle and started again, the stream holds the file byte for byte: nothing twice, nothing lost', async () => {
    const { client, url } = await database();
    const dir = folder();
    const file = join(dir, 'sensor.bin');
    const data = randomBytes(3 * 1024 * 1024 + 12345);
    writeFileSync(file, data);
    const args = [file, '--remote', url, '--stream', 'sensor', '--pos-file', join(dir, 'pos'), '--piece-bytes', String(96 * 1024)];
    const first = ingestProcess(args);
    // Killed as soon as a good part is confirmed (as a power cut would: no clean-up).
    for (let waited = 0; ; waited += 20) {
      const offset = (await PosFile.open(join(dir, 'pos')).catch(() => undefined))?.get(statIno(file))?.offset ?? 0;
      if (offset > 1024 * 1024) break;
      if (waited > 60_000) throw new Error(`no progress: ${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGKILL');
    await first.exit;
    const partial = (await streamBytes(client, 'sensor')).length;
    expect(partial).toBeGreaterThan(1024 * 1024);
    expect(partial).toBeLessThan(data.length);
    expect((await new CouchStorage(client).get('sensor'))['status']).toBe('writing');

    const second = ingestProcess(args);
    expect(await second.exit, second.output()).toBe(0);
    expect(second.output()).toMatch(/done: sent .* MiB\/s/);
    const stored = await streamBytes(client, 'sensor');
    expect(stored.length).toBe(data.length);
    expect(stored.equals(data)).toBe(true);
    expect(await new CouchStorage(client).get('sensor')).toMatchObject({ portal_type: 'Data Stream', status: 'complete', size: data.length });
  }, 120_000);

  it('a position file behind the server (killed between the confirmation and writing it) resends nothing already there', async () => {
    const { client } = await database();
    const dir = folder();
    const file = join(dir, 'a.csv');
    const posFile = join(dir, 'pos');
    const first = randomBytes(700_000);
    writeFileSync(file, first);
    const storage = new CouchStorage(client);
    await runIngest({ storage, stream: 'csv', input: file, posFile, pieceBytes: 100_000 });
    // The position as it was two pieces earlier: those pieces reached the server, their confirmations never did.
    const pos = await PosFile.open(posFile);
    const position = pos.get(statIno(file))!;
    expect(position.offset).toBe(first.length);
    await pos.set({ ...position, offset: 500_000 });
    const more = randomBytes(300_000);
    appendFileSync(file, more);
    const again = await runIngest({ storage, stream: 'csv', input: file, posFile, pieceBytes: 100_000 });
    expect(again.skipped).toBe(200_000);
    expect(again.sent).toBe(more.length);
    expect((await streamBytes(client, 'csv')).equals(Buffer.concat([first, more]))).toBe(true);
    expect((await storage.get('csv'))['content_type']).toBe('text/csv');
  }, 60_000);

  it('through a link that drops 20% of connections (before or after the server answered), the stream is byte-exact and the drops were retried', async () => {
    const proxy = await startFaultProxy(server.url);
    try {
      const { client, url } = await database(proxy.url);
      proxy.dropConnections(0.2, 18);
      const dir = folder();
      const file = join(dir, 'flaky.bin');
      const data = randomBytes(2 * 1024 * 1024 + 777);
      writeFileSync(file, data);
      const storage = new CouchStorage(client);
      const retries: string[] = [];
      const done = await runIngest({ storage, stream: 'flaky', input: file, posFile: join(dir, 'pos'), pieceBytes: 128 * 1024, baseBackoffMs: 10, maxBackoffMs: 100, onRetry: (error) => retries.push(error.message) });
      expect(proxy.dropped).toBeGreaterThan(3);
      expect(done.retries).toBe(retries.length);
      expect(done.retries).toBeGreaterThan(0);
      proxy.dropConnections(0, 1);
      const direct = new CouchClient({ url: url.replace(proxy.url, server.url), auth: server.admin });
      expect((await streamBytes(direct, 'flaky')).equals(data)).toBe(true);
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('reads standard input to its end, and a second run continues the stream after it', async () => {
    const { client, url } = await database();
    const args = ['-', '--remote', url, '--stream', 'pipe', '--piece-bytes', String(256 * 1024), '--flush-ms', '50'];
    const parts = [randomBytes(1_500_000), randomBytes(10)];
    const first = ingestProcess(args);
    // Written in dribs and drabs, as a sensor would.
    for (let at = 0; at < parts[0]!.length; at += 100_000) first.child.stdin!.write(parts[0]!.subarray(at, at + 100_000));
    first.child.stdin!.end();
    expect(await first.exit, first.output()).toBe(0);
    const second = ingestProcess(args);
    second.child.stdin!.end(parts[1]);
    expect(await second.exit, second.output()).toBe(0);
    expect((await streamBytes(client, 'pipe')).equals(Buffer.concat(parts))).toBe(true);
  }, 60_000);

  it('follows a folder: a growing file, and a file renamed by rotation goes on where it was while the new one starts at 0', async () => {
    const { client } = await database();
    const dir = folder();
    const log = join(dir, 'app.log');
    const lines = (tag: string, from: number, count: number) => Array.from({ length: count }, (_, index) => `${tag} ${from + index}\n`).join('');
    writeFileSync(log, lines('first', 0, 100));
    const stop = new AbortController();
    const storage = new CouchStorage(client);
    const running = runIngest({ storage, stream: 'logs', input: dir, posFile: join(tmpdir(), `fieldscope-ingest-${counter}.pos`), follow: true, pollMs: 30, signal: stop.signal });
    const holds = async (text: string) => {
      for (let waited = 0; !(await streamBytes(client, 'logs').catch(() => Buffer.alloc(0))).toString().includes(text); waited += 30) {
        if (waited > 20_000) throw new Error(`the stream never got "${text.trim()}"`);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    };
    await holds('first 99\n');
    appendFileSync(log, lines('first', 100, 50));
    await holds('first 149\n');
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, lines('first', 150, 10)); // written by the logger before it reopened
    writeFileSync(log, lines('second', 0, 20));
    await holds('second 19\n');
    await holds('first 159\n');
    stop.abort();
    await running;
    const got = (await streamBytes(client, 'logs')).toString().split('\n').filter(Boolean);
    expect(got.filter((line) => line.startsWith('first'))).toEqual(lines('first', 0, 160).trim().split('\n'));
    expect(got.filter((line) => line.startsWith('second'))).toEqual(lines('second', 0, 20).trim().split('\n'));
    expect(got).toHaveLength(180);
    expect((await storage.get('logs'))['status']).toBe('complete');
  }, 60_000);
});

function statIno(file: string): number {
  return statSync(file).ino;
}
