import { test, expect } from '@playwright/test';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { startOffline } from './support/go-offline';

test.describe('the tutorial flow: file → Data Stream → Data Array → spectrum → graph → image', () => {
  for (const offline of [false, true]) {
    test(`${offline ? 'offline: ' : ''}a WAV recording is imported, its spectrum peaks at the tone, and the plot is kept as an image`, async ({ page, context }) => {
      if (offline) await startOffline(page, context, '#/streams');
      const rate = 16000;
      const tone = Array.from({ length: rate * 2 }, (_, i) => 0.6 * Math.sin((2 * Math.PI * 1000 * i) / rate) + 0.05 * Math.sin(i * 0.37));
      await page.goto('./#/streams');
      await page.getByRole('link', { name: 'Import files' }).click();
      await expect(page).toHaveURL(/#\/import$/);
      await page.locator('fs-import-page input[type=file]').setInputFiles([
        { name: 'pump-north.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, { sampleRate: rate, bits: 24 })) },
        { name: 'broken.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, { sampleRate: rate }).subarray(0, 5000)) },
      ]);
      await expect(page.getByRole('alert')).toContainText('broken.wav (at byte');
      await expect(page.getByRole('alert')).toContainText('truncated');
      await page.getByRole('link', { name: 'its graph' }).click();

      await expect(page.locator('fs-app header h1')).toHaveText('pump-north.wav');
      // Its source is the stream, linked by name.
      await expect(page.getByRole('row', { name: /Source/ }).getByRole('link', { name: 'pump-north.wav' })).toHaveAttribute('href', /^#\/stream\//);
      await expect(page.getByRole('status').filter({ hasText: 'Samples 0–32,000 of 32,000' })).toBeVisible();
      // The spectrogram of the view: the tone as a bright line, kept as an image too.
      await page.getByLabel('Spectrogram').check();
      await expect(page.getByRole('img', { name: /Spectrogram of pump-north\.wav, 0–8000 Hz over 2 s/ })).toBeVisible({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Save spectrogram' }).click();
      await expect(page.getByText('The image is saved in Images.')).toBeVisible();
      await expect(page.getByText('The image is saved in Images.')).toBeHidden(); // so the next save's message is its own
      await page.getByLabel('Scale').selectOption('magnitude');
      await page.getByRole('button', { name: 'Compute spectrum' }).click();
      await expect(page.locator('fs-app header h1')).toHaveText('Spectrum of pump-north.wav', { timeout: 20_000 });
      const peak = page.locator('fs-array-page .peak');
      await expect(peak).toContainText('Peak at');
      const [, frequency, value] = /Peak at ([\d.]+) Hz: ([\d.]+)/.exec((await peak.textContent()) ?? '') ?? [];
      expect(Number(frequency)).toBeCloseTo(1000, -1);
      expect(Number(value)).toBeCloseTo(0.6, 1);

      await page.getByLabel('Log x').check();
      await page.getByRole('button', { name: 'Save PNG' }).click();
      await expect(page.getByText('The image is saved in Images.')).toBeVisible();
      await page.goto('./#/images');
      await expect(page.getByRole('link', { name: /Spectrum of pump-north\.wav/ })).toBeVisible();
      await expect(page.getByRole('link', { name: /pump-north\.wav, spectrogram/ })).toBeVisible();

      // The stream keeps the file and its processing history; the broken file left nothing.
      await page.goto('./#/streams');
      await expect(page.getByRole('link', { name: /pump-north\.wav/ })).toBeVisible();
      await expect(page.getByRole('link', { name: /broken\.wav/ })).toHaveCount(0);
      await page.getByRole('link', { name: /pump-north\.wav/ }).click();
      await expect(page.getByText('import: done')).toBeVisible();

      // The processing chain ran by itself on the decoded array: statistics, and a spectrum of its own.
      await page.getByRole('link', { name: 'Samples' }).click();
      await expect(page.getByText(/statistics: done/)).toBeVisible({ timeout: 20_000 });
      await expect(page.getByText(/spectrum: done/).first()).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole('row', { name: /Statistics/ })).toContainText('max 0.6');
      // ...in a worker of its own, off the page's thread.
      expect(page.workers().map((worker) => worker.url())).toContainEqual(expect.stringMatching(/chain-worker/));
    });
  }
});
