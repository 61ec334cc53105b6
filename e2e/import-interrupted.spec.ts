import { writeFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { bigWav } from './support/big-wav';


test('an import runs in a worker, and one cut short by a reload is cleaned up at the next start', async ({ page }, testInfo) => {
  const path = testInfo.outputPath('long-run.wav');
  await writeFile(path, bigWav(24_000_000)); // 48 MB
  await page.goto('./#/import');
  await page.locator('fs-import-page input[type=file]').setInputFiles([{ name: 'short.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([0.1, 0.2, 0.3])) }]);
  const imports = page.getByRole('list', { name: 'Imports' });
  await expect(imports.getByRole('link', { name: 'its graph' })).toBeVisible();

  await page.locator('fs-import-page input[type=file]').setInputFiles(path);
  const progress = page.getByRole('progressbar', { name: 'Importing long-run.wav' });
  await expect.poll(() => progress.evaluate((bar: HTMLProgressElement) => bar.value)).toBeGreaterThan(0);
  expect(page.workers().map((worker) => worker.url()).some((url) => url.includes('import-worker'))).toBe(true);
  await page.reload(); // the tab goes away mid-import: its stream is left 'importing', its array 'writing'

  await page.goto('./#/streams');
  const list = page.locator('fs-document-list-page');
  await expect(list.getByRole('link', { name: /short\.wav/ })).toBeVisible(); // the list is there…
  await expect(list.getByRole('link', { name: /long-run\.wav/ })).toHaveCount(0); // …without the cut-short import
  await page.goto('./#/arrays');
  await expect(list.getByRole('link', { name: /short\.wav/ }).first()).toBeVisible();
  await expect(list.getByRole('link', { name: /long-run\.wav/ })).toHaveCount(0);
});

test('Cancel stops an import in its worker, and nothing of it is kept', async ({ page }, testInfo) => {
  const path = testInfo.outputPath('cancelled.wav');
  await writeFile(path, bigWav(24_000_000));
  await page.goto('./#/import');
  await page.locator('fs-import-page input[type=file]').setInputFiles(path);
  const progress = page.getByRole('progressbar', { name: 'Importing cancelled.wav' });
  await expect.poll(() => progress.evaluate((bar: HTMLProgressElement) => bar.value)).toBeGreaterThan(0);
  await page.getByRole('list', { name: 'Imports' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('list', { name: 'Imports' }).getByRole('alert')).toHaveText('cancelled.wav: cancelled, nothing was kept.');
  await page.goto('./#/streams');
  await expect(page.locator('fs-document-list-page')).toContainText('Import a file or record'); // the empty list's hint
});
