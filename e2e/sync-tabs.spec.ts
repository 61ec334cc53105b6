import { test, expect, type Page } from '@playwright/test';

const couch = () => process.env.FIELDSCOPE_E2E_COUCH as string;
const syncStatus = (page: Page) => page.locator('fs-sync-status a');

async function serverDoc(database: string, id: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${couch()}${database}/${encodeURIComponent(id)}`);
  return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
}

// Two pages of one browser context share IndexedDB and Web Locks: two tabs of the app on one device.
test('with the app open in two tabs, one syncs (for both), the other says so and takes over when it closes', async ({ context }) => {
  const database = `e2e-tabs-${process.pid}-${Date.now()}`;
  const first = await context.newPage();
  await first.goto('./#/remotes');
  await first.getByLabel('Database').fill(database);
  await first.getByRole('button', { name: 'Check and add' }).click();
  await expect(first.getByText(`Created the database and added ${database} on /db/.`)).toBeVisible();
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
