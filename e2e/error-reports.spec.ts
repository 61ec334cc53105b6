import { test, expect } from '@playwright/test';
import { couchFetch } from './support/couch';
import { freshDatabase, syncNow, tablet } from './support/tablets';

test('an error that happened on a tablet is listed with its stack and device, and reaches the sync server with the next sync', async ({ browser, baseURL }) => {
  const database = freshDatabase();
  const device = await tablet(browser, baseURL!, database);
  const { page } = device;
  await page.goto('./');
  await page.evaluate(() => setTimeout(() => { throw new RangeError('pump sensor value out of range'); }));
  await expect(page.getByRole('alert', { name: 'Errors' })).toContainText('RangeError: pump sensor value out of range');

  await page.goto('./#/error-reports');
  const report = page.getByRole('link', { name: /RangeError: pump sensor value out of range/ });
  await expect(report).toBeVisible();
  await report.click();
  await expect(page).toHaveURL(/#\/error-report\//);
  await expect(page.locator('fs-error-report-page .message')).toHaveText('pump sensor value out of range');
  const facts = page.getByRole('table', { name: 'What happened' });
  await expect(facts).toContainText('RangeError');
  await expect(facts).toContainText('window');
  await expect(facts).toContainText(await page.evaluate(() => navigator.userAgent));
  await expect(page.getByLabel('Stack')).toContainText('RangeError: pump sensor value out of range');
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);

  await syncNow(device);
  const onServer = (await (await couchFetch(`${database}/${encodeURIComponent(id)}`)).json()) as Record<string, unknown>;
  expect(onServer).toMatchObject({ portal_type: 'Error Report', error_name: 'RangeError', message: 'pump sensor value out of range', origin: 'window' });
  expect(String(onServer['stack'])).toContain('pump sensor value out of range');
  await device.context.close();
});
