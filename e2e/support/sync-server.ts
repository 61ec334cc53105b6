import { expect, type Browser, type Page } from '@playwright/test';
import { couchFetch, fillAdminSignIn } from './couch';

// The test's CouchDB-protocol server (pouchdb-server, started by e2e/global-setup.ts and proxied at /db/), as another
// client writing to it sees it. Its access rules live here, so a change to how it is signed into is made in one place.

let counter = 0;

/** A database name no other test uses. */
export function freshDatabase(prefix = 'e2e'): string {
  return `${prefix}-${process.pid}-${Date.now()}-${++counter}`;
}

/** A request straight to the server (not through the app), as its admin. */
export const serverFetch = couchFetch;

export type ServerDoc = Record<string, unknown> & { _id: string; _rev?: string; _attachments?: Record<string, unknown> };

export async function serverDoc(database: string, id: string): Promise<ServerDoc | undefined> {
  const response = await serverFetch(`${database}/${encodeURIComponent(id)}`);
  return response.ok ? ((await response.json()) as ServerDoc) : undefined;
}

/** Writes a document (with its `_rev` when it replaces one) on the server, as another device or client would. */
export async function putServerDoc(database: string, doc: ServerDoc): Promise<void> {
  const response = await serverFetch(`${database}/${encodeURIComponent(doc._id)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  expect(response.ok, `PUT ${doc._id}: ${response.status} ${await response.clone().text()}`).toBe(true);
}

export async function createServerDatabase(database: string): Promise<void> {
  expect((await serverFetch(database, { method: 'PUT' })).ok).toBe(true);
}

/** Adds the database on the local sync server (/db/) as this device's remote, signed in as its admin; syncing starts. */
export async function addRemote(page: Page, database: string): Promise<void> {
  await page.goto('./#/remotes');
  await page.getByLabel('Database').fill(database);
  await fillAdminSignIn(page);
  await page.getByRole('button', { name: 'Check and add' }).click();
  await expect(page.getByText(new RegExp(`added ${database} on /db/`, 'i'))).toBeVisible();
}

/** Waits until the round of sync running (or the next) has ended well. */
export async function syncSettled(page: Page): Promise<void> {
  const status = page.locator('fs-sync-status a');
  await expect(status).toHaveAttribute('data-last-sync', /./, { timeout: 60_000 });
  await expect(status).toHaveClass(/idle/, { timeout: 60_000 });
}

/** A device that has never seen anything: a browser context of its own, synced with `database`. */
export async function freshDevice(browser: Browser, baseURL: string, database: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await addRemote(page, database);
  await syncSettled(page);
  return page;
}
