import { test, expect } from '@playwright/test';
import { addRemote, freshDatabase, putServerDoc, serverDoc } from './support/sync-server';

test('partial sync: a device set to one experiment gets only its documents, and still sends its own', async ({ page }) => {
  const database = freshDatabase('partial');
  await addRemote(page, database);
  const subset = page.getByRole('form', { name: /What comes from/ });
  await subset.getByLabel('Only documents matching').fill('experiment:(E-1');
  await subset.getByRole('button', { name: 'Save' }).click();
  await expect(subset.getByRole('alert')).toContainText('This query cannot be used');
  await subset.getByLabel('Only documents matching').fill('experiment:="E-1"');
  await subset.getByRole('button', { name: 'Save' }).click();
  await expect(subset.getByRole('alert')).toHaveCount(0);

  for (const [id, experiment] of [['pump-e1', 'E-1'], ['pump-e2', 'E-2']] as const) {
    await putServerDoc(database, { _id: id, portal_type: 'Notebook', title: `Pump notes ${experiment}`, reference: id, modification_date: new Date().toISOString(), experiment, text: '' });
  }
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.goto('./#/notebooks');
  await expect(page.getByRole('link', { name: /Pump notes E-1/ })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('link', { name: /Pump notes E-2/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page).toHaveURL(/#\/notebook\//);
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
  await page.getByLabel('Title', { exact: true }).fill('Tablet notes, no experiment');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect.poll(async () => (await serverDoc(database, id))?.['title'], { timeout: 20_000 }).toBe('Tablet notes, no experiment');
  // Still only the subset after more syncs: the other experiment's notes never came.
  await page.reload();
  await expect(page.getByRole('link', { name: /Pump notes E-2/ })).toHaveCount(0);
});
