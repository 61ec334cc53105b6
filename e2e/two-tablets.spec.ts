import { test, expect, type Request } from '@playwright/test';
import { withAppStorage } from './support/app-storage';
import { couchFetch, fillAdminSignIn } from './support/couch';
import { freshDatabase, syncNow, tablet, type Tablet } from './support/tablets';

// Two browser contexts are two tablets (support/tablets.ts): each has its own IndexedDB, both sync with one database.

async function newNotebook({ page }: Tablet, title: string): Promise<string> {
  await page.goto('./#/notebooks');
  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page).toHaveURL(/#\/notebook\//);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
}

async function notebookTitles({ page }: Tablet): Promise<string[]> {
  await page.goto('./#/notebooks');
  const titles = page.locator('ul.documents .title');
  await expect(titles.first()).toBeVisible();
  return (await titles.allTextContents()).map((text) => text.trim()).sort();
}

async function serverDoc(database: string, id: string): Promise<Record<string, unknown> & { _attachments?: Record<string, { length: number }> }> {
  return (await (await couchFetch(`${database}/${encodeURIComponent(id)}`)).json()) as Record<string, unknown>;
}

test('two tablets edit offline, reconnect and converge; a deletion reaches the other tablet', async ({ browser, baseURL }) => {
  const database = freshDatabase();
  const a = await tablet(browser, baseURL!, database);
  const b = await tablet(browser, baseURL!, database);
  const shared = await newNotebook(a, 'Shared pump log');
  const doomed = await newNotebook(a, 'Old survey');
  await syncNow(a);
  await syncNow(b);
  expect(await notebookTitles(b)).toEqual(['Old survey', 'Shared pump log']);

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await newNotebook(a, 'Written on A offline');
  await newNotebook(b, 'Written on B offline');
  await b.page.goto(`./#/notebook/${encodeURIComponent(doomed)}`);
  b.page.once('dialog', (dialog) => void dialog.accept());
  await b.page.getByRole('button', { name: 'Delete' }).click();
  await expect(b.page).toHaveURL(/#\/notebooks$/);

  await a.context.setOffline(false);
  await b.context.setOffline(false);
  await syncNow(a);
  await syncNow(b);
  await syncNow(a); // A gets what B sent
  const expected = ['Shared pump log', 'Written on A offline', 'Written on B offline'];
  expect(await notebookTitles(a)).toEqual(expected);
  expect(await notebookTitles(b)).toEqual(expected);
  expect((await serverDoc(database, doomed))['error']).toBe('not_found');
  expect((await serverDoc(database, shared))['title']).toBe('Shared pump log');
  await a.context.close();
  await b.context.close();
});

/** Replaces a notebook cell's source by typing, as a user does, and waits for the page to save it. */
async function editCell({ page }: Tablet, notebook: string, cell: number, text: string): Promise<void> {
  await page.goto(`./#/notebook/${encodeURIComponent(notebook)}`);
  await page.getByLabel(`Cell ${cell} source`).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text, { delay: 0 });
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.waitForTimeout(1000); // the cells' own save pause
}

test('two tablets edit different cells of one notebook offline; after sync both hold both edits, and no conflict is listed', async ({ browser, baseURL }) => {
  const database = freshDatabase();
  const a = await tablet(browser, baseURL!, database);
  const b = await tablet(browser, baseURL!, database);
  const cells = ['one', 'two', 'three'].map((id) => ({ id, cell_type: 'code', source: `"${id}"`, language: 'javascript', execution_count: null }));
  await withAppStorage(a.page, `await storage.put('shared-cells', { portal_type: 'Notebook', title: 'Shared cells', modification_date: new Date().toISOString(), cells: ${JSON.stringify(cells)} });`);
  await syncNow(a);
  await syncNow(b);
  // Opened once online: the page's code is then at hand offline (these tablets' service workers control no page yet).
  for (const { page } of [a, b]) {
    await page.goto('./#/notebook/shared-cells');
    await expect(page.getByLabel('Cell 3 source').locator('.cm-content')).toContainText('"three"');
  }

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await editCell(a, 'shared-cells', 1, '"edited on A"');
  await editCell(b, 'shared-cells', 3, '"edited on B"');
  await a.context.setOffline(false);
  await b.context.setOffline(false);
  await syncNow(a);
  await syncNow(b); // B finds the notebook changed on both sides and merges it by cell
  await syncNow(a);

  for (const { page } of [a, b]) {
    await page.goto('./#/notebook/shared-cells');
    await expect(page.getByLabel('Cell 1 source').locator('.cm-content')).toContainText('"edited on A"');
    await expect(page.getByLabel('Cell 2 source').locator('.cm-content')).toContainText('"two"');
    await expect(page.getByLabel('Cell 3 source').locator('.cm-content')).toContainText('"edited on B"');
    await page.goto('./#/conflicts');
    await expect(page.getByText('No conflicts: every synced document agrees with its server.')).toBeVisible();
  }
  const onServer = (await serverDoc(database, 'shared-cells'))['cells'] as Array<{ source: string }>;
  expect(onServer.map((cell) => cell.source)).toEqual(['"edited on A"', '"two"', '"edited on B"']);
  await a.context.close();
  await b.context.close();
});

test('a 20 MB array syncs in pieces; the other tablet views it by range, keeps it offline, then frees the space', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const database = freshDatabase();
  const a = await tablet(browser, baseURL!, database);
  await a.page.getByRole('button', { name: 'Pause sync' }).click(); // made before it can sync: the page says so
  await a.page.goto('./#/arrays');
  await a.page.getByText('Make a test signal').click();
  await a.page.getByLabel('Samples').fill('5000000'); // float32: 20 MB
  await a.page.getByRole('button', { name: 'Generate' }).click();
  await expect(a.page).toHaveURL(/#\/array\/[^/?]+/, { timeout: 60_000 });
  const id = decodeURIComponent(new URL(a.page.url()).hash.split('/')[2]!.split('?')[0]!);
  await expect(a.page.locator('fs-keep-offline')).toContainText('On this device only: the next sync sends it to the server');
  await a.page.goto('./#/remotes');
  await a.page.getByRole('button', { name: 'Resume sync' }).click();
  await syncNow(a);
  await a.page.goto(`./#/array/${encodeURIComponent(id)}`);
  await expect(a.page.locator('fs-keep-offline')).toContainText('On this device and the sync server');
  const pieces = Object.entries((await serverDoc(database, id))._attachments ?? {}).filter(([name]) => name.startsWith('data#'));
  expect(pieces.length).toBe(20); // 20,000,000 bytes in 1 MiB pieces
  expect(pieces.reduce((sum, [, piece]) => sum + piece.length, 0)).toBe(20_000_000);

  const b = await tablet(browser, baseURL!, database);
  const pieceRequests: string[] = [];
  b.page.on('request', (request) => {
    if (/\/db\/.*\/data%23\d+/.test(request.url())) pieceRequests.push(request.url());
  });
  await syncNow(b);
  await b.page.goto(`./#/array/${encodeURIComponent(id)}`);
  const readout = b.page.locator('fs-array-page .readout');
  await expect(readout).toContainText('of 5,000,000', { timeout: 30_000 });
  await expect(b.page.locator('fs-keep-offline')).toContainText('On the sync server, read as you view it');
  // The overview comes from the summaries, plus the last few samples not summarised yet: at most the last piece.
  expect(pieceRequests.filter((url) => !url.includes('data%2319')).length).toBe(0);
  // A close view reads only the piece under it.
  await b.page.goto(`./#/array/${encodeURIComponent(id)}?start=2500000&end=2501000`);
  await expect(readout).toContainText('Samples 2,500,000–2,501,000', { timeout: 30_000 });
  expect(pieceRequests.filter((url) => url.includes('data%239')).length).toBe(1); // bytes 10,000,000–10,004,000
  expect(new Set(pieceRequests).size).toBeLessThanOrEqual(2);

  // Chosen where large data is listed, before going into the field.
  await b.page.goto('./#/remotes');
  const row = b.page.getByRole('row', { name: /Test signal.* 20\.0 MB/ });
  await expect(row).toContainText('On the sync server, read as you view it');
  await row.getByRole('button', { name: 'Keep offline' }).click();
  await expect(row).toContainText('On this device', { timeout: 60_000 });
  await b.context.setOffline(true);
  await b.page.goto(`./#/array/${encodeURIComponent(id)}?start=4000000&end=4001000`);
  await b.page.reload();
  await expect(readout).toContainText('Samples 4,000,000–4,001,000', { timeout: 30_000 });
  await expect(b.page.locator('fs-graph [role="alert"], fs-graph .error')).toHaveCount(0);

  // Back online, the space is freed again: the data stays on the server and is read from it as before.
  await b.context.setOffline(false);
  await b.page.getByRole('button', { name: 'Free space on this device' }).click();
  await expect(b.page.getByText(/MB freed on this device: the data stays on the sync server/)).toBeVisible({ timeout: 30_000 });
  await expect(b.page.locator('fs-keep-offline')).toContainText('On the sync server, read as you view it');
  await b.page.goto(`./#/array/${encodeURIComponent(id)}?start=1000000&end=1001000`);
  await expect(readout).toContainText('Samples 1,000,000–1,001,000', { timeout: 30_000 });
  expect(Object.keys((await serverDoc(database, id))._attachments ?? {}).filter((name) => name.startsWith('data#'))).toHaveLength(20);
  await a.context.close();
  await b.context.close();
});

test('closing the page mid-sync, then syncing again, sends at most one batch again and makes no duplicates', async ({ context }) => {
  test.setTimeout(120_000);
  const database = freshDatabase();
  await couchFetch(database, { method: 'PUT' });
  // Every document id each bulk write carried, over both pages: what the server was asked to store.
  const sent: string[] = [];
  const track = (request: Request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/db/${database}/_bulk_docs`)) {
      for (const doc of (JSON.parse(request.postData() ?? '{}') as { docs?: { _id: string }[] }).docs ?? []) sent.push(doc._id);
    }
  };
  const first = await context.newPage();
  first.on('request', track);
  await first.goto('./#/notebooks');
  await withAppStorage(first, 'for (let i = 0; i < 1500; i += 1) await storage.put(`note-${i}`, { portal_type: "Notebook", title: `Note ${i}` });');
  await first.goto('./#/remotes');
  await first.getByLabel('Database').fill(database);
  await fillAdminSignIn(first);
  const firstBatchStored = first.waitForResponse((response) => response.url().endsWith(`/db/${database}/_bulk_docs`) && response.ok());
  await first.getByRole('button', { name: 'Check and add' }).click();
  await firstBatchStored;
  await first.close(); // mid-sync: 1,500 documents go in batches of 500

  const second = await context.newPage();
  second.on('request', track);
  await syncNow({ context, page: second });
  const stored = (await (await couchFetch(database)).json()) as { doc_count: number };
  expect(stored.doc_count).toBe(1500);
  const resent = sent.length - new Set(sent).size;
  expect(resent).toBeLessThanOrEqual(500);
  expect(new Set(sent).size).toBe(1500);
});
