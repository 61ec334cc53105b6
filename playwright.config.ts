import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/find-browser.mjs';

export const E2E_PORT = Number(process.env.FIELDSCOPE_E2E_PORT ?? 4180);

// e2e/global-setup.ts builds the app (twice: the second build is the "update" for the service-worker test)
// and serves dist/ on 127.0.0.1:E2E_PORT.
export default defineConfig({
  testDir: 'e2e',
  // One output folder per port, so runs side by side (several checkouts, a second terminal) do not clear each other's.
  outputDir: `test-results/e2e-${E2E_PORT}`,
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  // One retry, reported as "flaky" in the list: a test that needs it is a defect to trace (see the closing notes), but
  // one timing-sensitive spec should not stop everything else from landing.
  retries: 1,
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}/`,
    launchOptions: chromiumLaunchOptions(),
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
