import { test, expect } from '@playwright/test';
import { startStaticServer } from '../scripts/serve.mjs';
import { E2E_BUILD_DIR, E2E_UPDATE_BUILD_DIR } from './build-dirs';

const heading = 'fs-app header h1';

test('after one online visit the app starts offline from the service worker', async ({ page, context }) => {
  await page.goto('./#/settings');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The first visit is not controlled yet; a reload is, which is what an offline start relies on.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator(heading)).toHaveText('Settings');
  // A page never opened online loads offline too: every lazy chunk is precached.
  await page.goto('./#/');
  await expect(page.locator('fs-front-page .modules')).toContainText('Data Arrays');
});

test('a waiting new version shows the update prompt and Reload switches to it', async ({ page }) => {
  // A server of our own, so the new version can be swapped in under the same origin.
  const server = await startStaticServer({ root: E2E_BUILD_DIR });
  try {
    await page.goto(`${server.url}#/settings`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    // A returning visit: the page is controlled, so a new worker has to wait for it (an uncontrolled page would not).
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(page.getByRole('row', { name: /Version/ })).toHaveText(/Version\s*e2e$/);
    server.setRoot(E2E_UPDATE_BUILD_DIR);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByRole('status').filter({ hasText: 'A new version of Fieldscope is available.' });
    await expect(prompt).toBeVisible();
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByRole('row', { name: /Version/ })).toHaveText(/Version\s*e2e-update$/);
  } finally {
    await server.stop();
  }
});
