import { test, expect } from '@playwright/test';
import { addRemote, freshDatabase, serverFetch } from './support/sync-server';

test('an error met in the field is listed on Error Reports with its stack and device, and reaches the server with the next sync', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => setTimeout(() => { throw new RangeError('pump sensor 7 out of range'); }));
  const panel = page.getByRole('alert', { name: 'Errors' });
  await expect(panel).toContainText('RangeError: pump sensor 7 out of range');
  // Dismissed from the panel, the report is still kept.
  await panel.getByRole('button', { name: 'Dismiss all' }).click();

  await page.goto('./#/errors');
  const link = page.getByRole('link', { name: /RangeError: pump sensor 7 out of range/ });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/#\/error\//);
  const report = page.locator('fs-error-report-page');
  await expect(report.locator('[data-field="message"]')).toHaveText('pump sensor 7 out of range');
  await expect(report.getByRole('row', { name: /Error/ }).first()).toContainText('RangeError');
  await expect(report.getByRole('row', { name: /Where/ })).toContainText('window');
  await expect(report.getByRole('row', { name: /Device/ })).toContainText(/Chrome/);
  await expect(report.locator('[data-field="stack"]')).toContainText('RangeError');
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);

  const database = freshDatabase('errors');
  await addRemote(page, database);
  await expect
    .poll(async () => {
      const response = await serverFetch(`${database}/${encodeURIComponent(id)}`);
      return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
    }, { timeout: 30_000 })
    .toMatchObject({ portal_type: 'Error Report', error_name: 'RangeError', message: 'pump sensor 7 out of range', origin: 'window' });
});
