import { test, expect, type Page } from '@playwright/test';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { runCli } from '../server/testing/cli-process';
import { couchAdmin } from './support/couch';
import { addRemote, freshDatabase, serverFetch, type ServerDoc } from './support/sync-server';

type Step = { name: string; status: string; worker?: string };

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const piece = (bytes: Uint8Array) => ({ 'data#0': { content_type: 'application/octet-stream', data: base64(bytes) } });

async function allServerDocs(database: string): Promise<ServerDoc[]> {
  const body = (await (await serverFetch(`${database}/_all_docs?include_docs=true`)).json()) as { rows: { id: string; doc: ServerDoc }[] };
  return body.rows.filter((row) => !row.id.startsWith('_design/')).map((row) => row.doc);
}
const done = (doc: ServerDoc) => ((doc['process'] as Step[] | undefined) ?? []).filter((step) => step.status === 'done');

/** Presses "Sync now" when it can be pressed; `wait`: once the round under way (adding the remote starts one) is over. */
async function syncNow(page: Page, { wait = false } = {}): Promise<void> {
  const button = page.getByRole('button', { name: 'Sync now' });
  if (wait) await expect(button).toBeEnabled({ timeout: 30_000 });
  if (await button.isEnabled()) await button.click();
}

test("the app's chain and a server worker on one synced database: every step done once, by one or the other", async ({ page }) => {
  test.setTimeout(120_000);
  const database = freshDatabase('claims');
  await addRemote(page, database);
  // Recordings and arrays written to the server by other clients: both the tablet's chain and the worker want them.
  const streams = Array.from({ length: 4 }, (_, index) => {
    const tone = Array.from({ length: 8000 }, (_, at) => 0.5 * Math.sin((2 * Math.PI * (300 + 100 * index) * at) / 8000));
    return { _id: `stream-${index}`, portal_type: 'Data Stream', title: `pump-${index}.wav`, reference: `pump-${index}`, modification_date: '2026-01-01', content_type: 'audio/wav', status: 'complete', _attachments: piece(encodeWav(tone, { sampleRate: 8000 })) };
  });
  const arrays = Array.from({ length: 40 }, (_, index) => {
    const samples = Float32Array.from({ length: 1024 }, (_, at) => Math.sin(index + at / 16));
    return { _id: `array-${index}`, portal_type: 'Data Array', title: `array ${index}`, reference: `a${index}`, modification_date: '2026-01-01', dtype: 'float32', shape: [1024], pyramid: { base: 512, dtype: 'float32' }, _attachments: piece(new Uint8Array(samples.buffer)) };
  });
  const written = await serverFetch(`${database}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs: [...streams, ...arrays] }) });
  expect(written.ok).toBe(true);
  // Not skipped because the first round (started by adding the remote) still runs: the next would be a poll away.
  await syncNow(page, { wait: true });
  // The tablet's chain gets going first (its claims are on the server)...
  await expect.poll(async () => (await allServerDocs(database)).some((doc) => done(doc).some((step) => step.worker?.startsWith('device-'))), { timeout: 30_000 }).toBe(true);
  // ...then a server worker joins in.
  const worker = runCli('server/worker.ts', ['--remote', `${process.env.FIELDSCOPE_E2E_COUCH as string}${database}`, '--id', 'server-e2e', '--lease-ms', '5000', '--poll-ms', '100'], couchAdmin());
  try {
    await expect
      .poll(
        async () => {
          await syncNow(page);
          const docs = await allServerDocs(database);
          const decoded = docs.filter((doc) => doc['portal_type'] === 'Data Stream' && done(doc).some((step) => step.name === 'decode')).length;
          const spectra = docs.filter((doc) => doc['spectrum'] !== undefined).length;
          const statistics = docs.filter((doc) => doc['portal_type'] === 'Data Array' && done(doc).some((step) => step.name === 'statistics')).length;
          const claims = docs.filter((doc) => doc['claim'] !== undefined).length;
          return { decoded, spectra, arraysLeft: docs.filter((doc) => doc['portal_type'] === 'Data Array').length - statistics, claims };
        },
        { timeout: 90_000, intervals: [500] },
      )
      .toEqual({ decoded: 4, spectra: 4, arraysLeft: 0, claims: 0 });
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exit;
  }
  const docs = await allServerDocs(database);
  for (const doc of docs) {
    const names = done(doc).map((step) => step.name);
    expect(new Set(names).size, `${doc._id}: ${names.join(', ')}`).toBe(names.length);
  }
  // One set of outputs per step: a decode done twice would have made a second signal (or a sync conflict on it).
  expect(docs.filter((doc) => doc['portal_type'] === 'Data Array')).toHaveLength(arrays.length + 2 * streams.length);
  const conflicts = await serverFetch(`${database}/_all_docs?include_docs=true&conflicts=true`);
  const withConflicts = ((await conflicts.json()) as { rows: { doc: ServerDoc }[] }).rows.filter((row) => Array.isArray(row.doc['_conflicts']));
  expect(withConflicts).toEqual([]);
  const who = new Set(docs.flatMap((doc) => done(doc).map((step) => (step.worker?.startsWith('device-') ? 'tablet' : step.worker))));
  expect(who.has('tablet')).toBe(true);
  console.log(`steps by: ${[...who].join(', ')}`);
});
