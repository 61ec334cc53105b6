import { test, expect, type Page } from '@playwright/test';
import { couchAdmin, couchFetch, fillAdminSignIn } from './support/couch';

let counter = 0;
const freshDatabase = () => `e2e-${process.pid}-${Date.now()}-${++counter}`;

async function serverDocs(database: string): Promise<Record<string, unknown>[]> {
  const response = await couchFetch(`${database}/_all_docs?include_docs=true`);
  const body = (await response.json()) as { rows?: { doc: Record<string, unknown> }[] };
  return (body.rows ?? []).map((row) => row.doc);
}

async function addRemote(page: Page, database: string): Promise<void> {
  await page.goto('./#/remotes');
  await page.getByLabel('Database').fill(database);
  await fillAdminSignIn(page);
  await page.getByRole('button', { name: 'Check and add' }).click();
  await expect(page.getByText(`Created the database and added ${database} on /db/.`)).toBeVisible();
}

async function newNotebook(page: Page, title: string, text: string): Promise<string> {
  await page.goto('./#/notebooks');
  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page).toHaveURL(/#\/notebook\//);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Notes').fill(text);
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
}

const syncStatus = (page: Page) => page.locator('fs-sync-status a');

test.describe('sync with a CouchDB-protocol server', () => {
  test('the local sync server is offered; local work reaches it and its documents reach the device', async ({ page }) => {
    await page.goto('./#/remotes');
    await expect(page.getByText('This device does not sync yet')).toBeVisible();
    // The local sync server needs its admin: the page says where the name and password are.
    const offer = page.getByRole('form', { name: 'Sync with the local sync server' });
    await expect(offer).toContainText('.data/couch/admin.json');
    await offer.getByLabel('Password').fill('not the password');
    await offer.getByRole('button', { name: 'Sync with it' }).click();
    await expect(page.getByRole('alert')).toContainText('The server refused this name and password');
    await expect(offer.getByLabel('Name')).toHaveValue(couchAdmin().name);
    await offer.getByLabel('Password').fill(couchAdmin().password);
    await offer.getByRole('button', { name: 'Sync with it' }).click();
    await expect(page.getByText(/added Local sync server/)).toBeVisible();
    await expect(syncStatus(page)).toContainText('Synced');

    const id = await newNotebook(page, 'Pump station north', 'Bearing noise at 120 Hz.');
    // Sent after a short quiet time, without pressing anything.
    await expect.poll(async () => (await serverDocs('fieldscope')).find((doc) => doc['_id'] === id)?.['text'], { timeout: 20_000 }).toBe('Bearing noise at 120 Hz.');

    // Written by another CouchDB client: appears here after a sync.
    await couchFetch('fieldscope/from-server', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ portal_type: 'Notebook', title: 'Written on the server', reference: 'server-1', modification_date: new Date().toISOString(), text: 'hello' }),
    });
    await page.goto('./#/remotes');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.goto('./#/notebooks');
    await expect(page.getByRole('link', { name: /Written on the server/ })).toBeVisible({ timeout: 15_000 });
  });

  test('offline work is kept and sent when the network is back', async ({ page, context }) => {
    const database = freshDatabase();
    await addRemote(page, database);
    await expect(syncStatus(page)).toContainText('Synced');
    await newNotebook(page, 'Written online', 'loads the pages this test uses offline');
    await context.setOffline(true);
    await expect(syncStatus(page)).toContainText('Offline');
    const id = await newNotebook(page, 'Written offline', 'no network here');
    expect((await serverDocs(database)).some((doc) => doc['_id'] === id)).toBe(false);
    await context.setOffline(false);
    await expect.poll(async () => (await serverDocs(database)).find((doc) => doc['_id'] === id)?.['title'], { timeout: 20_000 }).toBe('Written offline');
  });

  test('a conflicting edit is listed with both versions and the chosen one wins on both sides', async ({ page }) => {
    const database = freshDatabase();
    await addRemote(page, database);
    const id = await newNotebook(page, 'Shared note', 'first');
    await expect.poll(async () => (await serverDocs(database)).find((doc) => doc['_id'] === id)?.['text'], { timeout: 20_000 }).toBe('first');
    // The server's copy changes (another device) while this device edits its own.
    const onServer = (await serverDocs(database)).find((doc) => doc['_id'] === id)!;
    await couchFetch(`${database}/${encodeURIComponent(id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...onServer, text: 'edited on the other tablet' }),
    });
    await page.getByLabel('Notes').fill('edited here');
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await page.goto('./#/remotes');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(syncStatus(page)).toContainText('1 conflict', { timeout: 20_000 });

    await page.goto('./#/conflicts');
    const conflict = page.getByRole('region', { name: `Conflict on ${id}` });
    await expect(conflict).toContainText('edited here');
    await expect(conflict).toContainText('edited on the other tablet');
    await conflict.locator('.side').nth(1).getByRole('button', { name: 'Keep this one' }).click();
    await expect(page.getByText('No conflicts')).toBeVisible();
    await page.goto(`./#/notebook/${encodeURIComponent(id)}`);
    await expect(page.getByLabel('Notes')).toHaveValue('edited on the other tablet');
    expect((await serverDocs(database)).find((doc) => doc['_id'] === id)?.['text']).toBe('edited on the other tablet');
  });

  test('a document the server refuses is listed with its reason, the others sync, and a fix sends it', async ({ page }) => {
    const database = freshDatabase();
    await addRemote(page, database);
    await couchFetch(`${database}/_design/guard`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ validate_doc_update: "function (doc) { if (/draft/i.test(doc.title || '')) throw({ forbidden: 'drafts stay on the tablet' }); }" }),
    });
    const refused = await newNotebook(page, 'Draft notes', 'not for the server');
    const accepted = await newNotebook(page, 'Pump report', 'for the server');
    await expect.poll(async () => (await serverDocs(database)).find((doc) => doc['_id'] === accepted)?.['text'], { timeout: 20_000 }).toBe('for the server');
    await expect(syncStatus(page)).toContainText('1 refused', { timeout: 20_000 });

    await syncStatus(page).click();
    await expect(page).toHaveURL(/#\/conflicts/);
    const list = page.getByRole('region', { name: 'Refused by the server' });
    await expect(list).toContainText('Draft notes');
    await expect(list).toContainText('drafts stay on the tablet');

    await list.getByRole('link', { name: 'Draft notes' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Field notes');
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await expect.poll(async () => (await serverDocs(database)).find((doc) => doc['_id'] === refused)?.['title'], { timeout: 20_000 }).toBe('Field notes');
    await expect(syncStatus(page)).not.toContainText('refused');
  });

  test('a remote that cannot be reached or is not CouchDB is refused with a clear message, nothing saved', async ({ page }) => {
    await page.goto('./#/remotes');
    const unencrypted = page.locator('[data-warning=unencrypted]');
    // Typed with its name and password: they are used to sign in, never shown nor kept.
    await page.getByLabel('Server address').fill('http://ana:s3cret@127.0.0.1:9/');
    await expect(unencrypted).toHaveCount(0); // this machine: nothing travels on a network
    await page.getByRole('button', { name: 'Check and add' }).click();
    await expect(page.getByRole('alert')).toContainText('http://127.0.0.1:9/ cannot be reached');
    await expect(page.locator('fs-remotes-page')).not.toContainText('s3cret');
    await expect(page.getByLabel('Server address')).toHaveValue('http://127.0.0.1:9/');
    // Another machine over plain http: warned while typing (nothing is sent there by this test).
    await page.getByLabel('Server address').fill('http://couch.example.org:5984/');
    await expect(unencrypted).toContainText('This address is not encrypted');
    await page.getByLabel('Server address').fill('https://couch.example.org/');
    await expect(unencrypted).toHaveCount(0);
    await page.getByLabel('Server address').fill('/');
    await page.getByRole('button', { name: 'Check and add' }).click();
    await expect(page.getByRole('alert')).toContainText('not as a CouchDB server');
    await expect(page.getByText('This device does not sync yet')).toBeVisible();
  });
});

test('signing in keeps only the session cookie, and signing out ends the session', async ({ page }) => {
  const user = `tech${Date.now()}`;
  await couchFetch(`_users/org.couchdb.user:${user}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${user}`, name: user, password: 'field-secret', roles: [], type: 'user' }),
  });
  // Made beforehand by the admin: only an admin creates databases.
  const database = freshDatabase();
  await couchFetch(database, { method: 'PUT' });
  await page.goto('./#/remotes');
  await page.getByLabel('Database').fill(database);
  await page.getByLabel('Name (optional)').fill(user);
  await page.getByLabel('Password (optional)').fill('field-secret');
  await page.getByRole('button', { name: 'Check and add' }).click();
  await expect(page.getByText(`Added ${database} on /db/: syncing.`)).toBeVisible();
  await expect(page.getByText(`signed in as ${user}`)).toBeVisible();
  await expect(page.getByLabel('Password (optional)')).toHaveValue('');
  const session = () => page.evaluate(async () => ((await (await fetch('/db/_session')).json()) as { userCtx: { name: string | null } }).userCtx.name);
  expect(await session()).toBe(user);
  // The password is nowhere on the device.
  const stored = await page.evaluate(() => JSON.stringify(localStorage) + document.cookie);
  expect(stored).not.toContain('field-secret');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText(/Signed out of/)).toBeVisible();
  expect(await session()).toBeNull();

  // Signed out, the server refuses the sync and the page says to sign in, where; signing in there syncs again.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.locator('fs-remotes-page p.status')).toContainText('Sign in to the sync server', { timeout: 20_000 });
  const signIn = page.getByRole('form', { name: `Sign in to ${database} on /db/` });
  await signIn.getByLabel('Name').fill(user);
  await signIn.getByLabel('Password').fill('field-secret');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in to ${database} on /db/ as ${user}: syncing.`)).toBeVisible();
  await expect(signIn).toHaveCount(0);
  expect(await session()).toBe(user);
  await expect(syncStatus(page)).toContainText('Synced', { timeout: 20_000 });
  expect(await page.evaluate(() => JSON.stringify(localStorage) + document.cookie)).not.toContain('field-secret');
});
