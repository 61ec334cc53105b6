import { expect, type BrowserContext, type Page } from '@playwright/test';

/** One online visit installs the service worker; then the network goes and the app restarts from its cache. */
export async function startOffline(page: Page, context: BrowserContext, hash = '#/'): Promise<void> {
  await page.goto(`./${hash}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  await page.reload();
}
