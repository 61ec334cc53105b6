import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { CHROMIUM_ARGS, chromiumLaunchOptions } from '../scripts/find-browser.mjs';
import { startOffline } from './support/go-offline';

// Chromium's fake microphone plays this file in a loop: a 1500 Hz tone, so the recording's spectrum is known.
const TONE_HZ = 1500;
const toneFile = join(tmpdir(), `fieldscope-fake-mic-${process.pid}.wav`);
const fileRate = 48_000;
writeFileSync(toneFile, encodeWav(Array.from({ length: fileRate }, (_, i) => 0.5 * Math.sin((2 * Math.PI * TONE_HZ * i) / fileRate)), { sampleRate: fileRate }));

test.use({
  launchOptions: {
    ...chromiumLaunchOptions(),
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${toneFile}`, '--autoplay-policy=no-user-gesture-required'],
  },
  permissions: ['microphone'],
});

const status = (page: Page) => page.locator('fs-record-page .elapsed');

async function startRecording(page: Page, title: string): Promise<void> {
  await page.goto('./#/streams');
  await page.getByRole('link', { name: 'Record' }).click();
  await expect(page).toHaveURL(/#\/record$/);
  await page.getByLabel('Title (optional)').fill(title);
  const traceHint = page.getByText('The signal scrolls here as it is recorded');
  await expect(traceHint).toBeVisible(); // the empty trace says what it is for
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(status(page)).toContainText('Recording');
  await expect(traceHint).toBeHidden();
}

const count = async (page: Page, pattern: RegExp) => Number(pattern.exec((await status(page).textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);

/** Waits until the recording has at least `seconds` of samples (`saved`: written to storage), at the rate it shows. */
async function recordFor(page: Page, seconds: number, { saved = false } = {}): Promise<void> {
  const rate = await count(page, /at ([\d,]+) Hz/);
  expect(rate).toBeGreaterThanOrEqual(8000); // the device's own rate (44.1 or 48 kHz)
  // Generous: a loaded machine (CI) can slow Chromium's fake audio device well below real time.
  await expect.poll(() => count(page, saved ? /([\d,]+) saved/ : /([\d,]+) samples/), { timeout: 45_000 }).toBeGreaterThanOrEqual(seconds * rate);
}

test('offline: record from the microphone, pause and resume, stop; the spectrum peaks at the tone and the plot is kept as an image', async ({ page, context }) => {
  test.setTimeout(120_000);
  await startOffline(page, context, '#/streams');
  await startRecording(page, 'Pump 3 bearing');
  await recordFor(page, 1);
  // The level meter moves with the signal (a 0.5 tone: about −9 dBFS RMS).
  await expect.poll(async () => page.locator('fs-record-page meter').evaluate((meter: HTMLMeterElement) => meter.value)).toBeGreaterThan(-20);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status(page)).toContainText('Paused');
  const paused = await count(page, /([\d,]+) samples/);
  await page.waitForTimeout(500);
  expect(await count(page, /([\d,]+) samples/)).toBe(paused); // nothing is added while paused
  await page.getByRole('button', { name: 'Resume' }).click();
  await recordFor(page, 2);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Recorded [\d,]+ samples/ })).toBeVisible();
  const recorded = Number(/Recorded ([\d,]+) samples/.exec((await page.getByRole('status').filter({ hasText: /Recorded/ }).textContent()) ?? '')![1]!.replace(/,/g, ''));

  await page.getByRole('link', { name: 'its graph' }).click();
  await expect(page.locator('fs-app header h1')).toHaveText('Pump 3 bearing');
  await expect(page.getByRole('status').filter({ hasText: `of ${recorded.toLocaleString('en')}` })).toBeVisible();
  await page.getByLabel('Scale').selectOption('magnitude');
  await page.getByRole('button', { name: 'Compute spectrum' }).click();
  await expect(page.locator('fs-app header h1')).toHaveText('Spectrum of Pump 3 bearing', { timeout: 20_000 });
  const [, frequency] = /Peak at ([\d.]+) Hz/.exec((await page.locator('fs-array-page .peak').textContent()) ?? '') ?? [];
  // Within one bin (its width, the spectrum's resolution, shown on the page) — or 1 Hz, as the fake microphone
  // resamples the 48 kHz file to the device's rate and may shift the tone by a few hundredths of a percent.
  const binHz = Number(/Resolution\s*([\d.]+) Hz per sample/.exec((await page.getByRole('row', { name: /Resolution/ }).textContent()) ?? '')?.[1]);
  expect(Math.abs(Number(frequency) - TONE_HZ)).toBeLessThanOrEqual(Math.max(binHz, 1));

  await page.getByRole('button', { name: 'Save PNG' }).click();
  await expect(page.getByText('The image is saved in Images.')).toBeVisible();
  await page.goto('./#/images');
  await expect(page.getByRole('link', { name: /Spectrum of Pump 3 bearing/ })).toBeVisible();
  await page.goto('./#/streams');
  await page.getByRole('link', { name: /Pump 3 bearing/ }).click();
  await expect(page.getByText('record: done')).toBeVisible();
});

test('a recording survives a reload: what was appended is kept and becomes a complete stream and array', async ({ page }) => {
  await startRecording(page, 'Interrupted by a reload');
  await recordFor(page, 1, { saved: true });
  const saved = await count(page, /([\d,]+) saved/);
  await page.reload(); // no Stop: the tab goes away mid-recording
  await page.goto('./#/streams');
  await page.getByRole('link', { name: /Interrupted by a reload/ }).click();
  await expect(async () => {
    await page.reload(); // the stream page shows the document as it was when opened
    await expect(page.getByRole('row', { name: /Status/ })).toContainText('complete', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const size = Number(/([\d,]+) bytes/.exec((await page.getByRole('row', { name: /Size/ }).textContent()) ?? '')![1]!.replace(/,/g, ''));
  expect(size).toBeGreaterThanOrEqual(4 * saved); // float32: everything saved before the reload is there
  await page.getByRole('link', { name: 'Samples' }).click();
  await expect(page.getByRole('status').filter({ hasText: `of ${(size / 4).toLocaleString('en')}` })).toBeVisible();
});
