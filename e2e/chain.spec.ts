import { test, expect } from '@playwright/test';
import { encodeWav } from '../compute/ingest/wav-encoder';

test('with the app open in two tabs, one processing chain runs: each step once per document', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  for (const page of [first, second]) await page.goto('./#/arrays');
  // Both tabs have started a chain worker; one of them waits for the other's lock.
  for (const page of [first, second]) await expect.poll(() => page.workers().some((worker) => /chain-worker/.test(worker.url()))).toBe(true);

  const rate = 8000;
  const files = [440, 880, 1320].map((tone) => ({
    name: `valve-${tone}.wav`,
    mimeType: 'audio/wav',
    buffer: Buffer.from(encodeWav(Array.from({ length: rate }, (_, i) => 0.5 * Math.sin((2 * Math.PI * tone * i) / rate)), { sampleRate: rate })),
  }));
  await first.goto('./#/import');
  await first.locator('fs-import-page input[type=file]').setInputFiles(files);
  await expect(first.getByRole('link', { name: 'its graph' })).toHaveCount(3);

  await first.goto('./#/arrays?q=Spectrum');
  await expect(first.getByRole('link', { name: /^Spectrum of valve-/ })).toHaveCount(3, { timeout: 20_000 });
  // A second chain would make its own spectra at about the same time: give it the chance, then count again.
  await first.waitForTimeout(3000);
  await first.reload();
  await expect(first.getByRole('link', { name: /^Spectrum of valve-/ })).toHaveCount(3);
});
