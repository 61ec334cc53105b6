import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { fillAdminSignIn } from './couch';

// Two browser contexts are two tablets: each has its own IndexedDB, both sync with one database of the test server.

let counter = 0;
export const freshDatabase = () => `tablets-${process.pid}-${Date.now()}-${++counter}`;

export interface Tablet {
  context: BrowserContext;
  page: Page;
}

/** A tablet with the remote `database` added; `prepare` runs on its page first (e.g. to make requests fail). */
export async function tablet(browser: Browser, baseURL: string, database: string, prepare?: (page: Page) => Promise<void>): Promise<Tablet> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await prepare?.(page);
  await page.goto('./#/remotes');
  await page.getByLabel('Database').fill(database);
  await fillAdminSignIn(page);
  await page.getByRole('button', { name: 'Check and add' }).click();
  await expect(page.getByText(new RegExp(`added ${database} on /db/`, 'i'))).toBeVisible();
  return { context, page };
}

/** Presses "Sync now" and waits for that round to end well (the status's last sync time moves). */
export async function syncNow({ page }: Tablet): Promise<void> {
  await page.goto('./#/remotes');
  const status = page.locator('fs-sync-status a');
  await expect(status).not.toHaveClass(/syncing/, { timeout: 30_000 });
  const before = (await status.getAttribute('data-last-sync')) ?? '';
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(status).not.toHaveAttribute('data-last-sync', before, { timeout: 60_000 });
  await expect(status).toHaveClass(/idle/);
}

