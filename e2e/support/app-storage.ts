import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { E2E_BUILD_DIR } from '../build-dirs';

/**
 * Writes documents with the app's own storage module, found through the build manifest. `script` runs with `storage`
 * in scope; it is evaluated by the test driver, not by `eval` in the page, which the app's CSP refuses.
 */
export async function withAppStorage(page: Page, script: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(`${E2E_BUILD_DIR}/.vite/manifest.json`, 'utf8')) as Record<string, { file: string }>;
  // The chunk holding storage/local-storage.ts: an entry of its own, or a shared chunk named after it.
  const key = Object.keys(manifest).find((name) => name === 'storage/local-storage.ts' || name.startsWith('_local-storage-'));
  const file = key ? manifest[key]?.file : undefined;
  if (!file) throw new Error('storage/local-storage.ts is not in the build manifest');
  await page.evaluate(
    async ({ file }) => {
      const module = (await import(/* @vite-ignore */ `/${file}`)) as Record<string, unknown>;
      // A shared chunk exports the module as a namespace object under a short name.
      const exports = [module, ...Object.values(module)].find((candidate) => typeof (candidate as { createLocalStorage?: unknown } | null)?.createLocalStorage === 'function') as {
        createLocalStorage: () => unknown;
      };
      (window as { __fieldscopeE2eStorage?: unknown }).__fieldscopeE2eStorage = exports.createLocalStorage();
    },
    { file },
  );
  await page.evaluate(`(async () => { const storage = window.__fieldscopeE2eStorage; ${script} })()`);
}
