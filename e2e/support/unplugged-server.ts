import { expect, type BrowserContext, type Page } from '@playwright/test';
import { startStaticServer } from '../../scripts/serve.mjs';
import { E2E_BUILD_DIR } from '../build-dirs';

/**
 * The built app on a server of this test's own, so that going offline can mean the server is gone: Playwright's
 * setOffline does not reach dedicated workers (the notebook kernel's fetches went on through it), a stopped server
 * fails every fetch. Visits once so the service worker is installed and in control; `unplug` stops the server, sets
 * the browser offline and reloads the page from the service worker's cache.
 */
export async function startUnplugged(page: Page, context: BrowserContext, hash = '#/'): Promise<{ unplug: () => Promise<void> }> {
  const server = await startStaticServer({ root: E2E_BUILD_DIR });
  await page.goto(`${server.url}${hash}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  return {
    unplug: async () => {
      await server.stop();
      await context.setOffline(true);
      await page.reload();
    },
  };
}
