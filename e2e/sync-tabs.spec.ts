import { test, expect, type Page } from '@playwright/test';
import { addRemote, freshDatabase, serverDoc } from './support/sync-server';

const syncStatus = (page: Page) => page.locator('fs-sync-status a');

// Two pages of one browser context share IndexedDB and Web Locks: two tabs of the app on one device.
test('with the app open in two tabs, one syncs (for both), the other says so and takes over when it closes', async ({ context }) => {
  const database = freshDatabase('e2e-tabs');
  const first = await context.newPage();
  await addRemote(first, database);
  await expect(syncStatus(first)).toContainText('Synced');

  const second = await context.newPage();
  await second.goto('./#/notebooks');
  await expect(syncStatus(second)).toContainText('Syncing in another tab');
  await expect(syncStatus(second)).toHaveAttribute('aria-label', /Another Fieldscope tab on this device is syncing/);

  // Written in the second tab, sent by the first one's sync.
  await second.getByRole('button', { name: 'New notebook' }).click();
  await expect(second).toHaveURL(/#\/notebook\//);
  await second.getByLabel('Notes').fill('Written in the second tab.');
  await expect(second.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const id = decodeURIComponent(new URL(second.url()).hash.split('/')[2]!);
  await expect.poll(async () => (await serverDoc(database, id))?.['text'], { timeout: 20_000 }).toBe('Written in the second tab.');
  // The first tab's rounds are told to the second, which says when the device last synced.
  await expect(syncStatus(second)).toHaveAttribute('aria-label', /Syncing in another tab\. .*Last synced/);

  await first.close();
  await expect(syncStatus(second)).toContainText('Synced', { timeout: 15_000 });
  await second.getByLabel('Notes').fill('Sent by the second tab now.');
  await expect.poll(async () => (await serverDoc(database, id))?.['text'], { timeout: 20_000 }).toBe('Sent by the second tab now.');
});
