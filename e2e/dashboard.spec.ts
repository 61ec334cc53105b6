import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { CHROMIUM_ARGS, chromiumLaunchOptions } from '../scripts/find-browser.mjs';
import { startOffline } from './support/go-offline';
import { withAppStorage } from './support/app-storage';

// Chromium's fake microphone plays a tone in a loop (for the recording test).
const toneFile = join(tmpdir(), `fieldscope-dashboard-mic-${process.pid}.wav`);
writeFileSync(toneFile, encodeWav(Array.from({ length: 48_000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000)), { sampleRate: 48_000 }));

test.use({
  launchOptions: {
    ...chromiumLaunchOptions(),
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${toneFile}`, '--autoplay-policy=no-user-gesture-required'],
  },
  permissions: ['microphone'],
});

const card = (page: Page, title: string) => page.locator('fs-source-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const sparkline = (page: Page, title: string) => card(page, title).locator('svg[role="img"] path');

/** Imports a 2 s WAV tone: a Data Stream, and the Data Array the chain decodes from it. */
async function importTone(page: Page, name: string): Promise<void> {
  const rate = 8000;
  const tone = Array.from({ length: rate * 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 200 * i) / rate) * (i / (rate * 2)));
  await page.goto('./#/import');
  await page.locator('fs-import-page input[type=file]').setInputFiles([{ name, mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, { sampleRate: rate })) }]);
  await expect(page.getByRole('link', { name: 'its graph' })).toBeVisible({ timeout: 20_000 });
}

async function expectAccessible(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test.describe('dashboard', () => {
  test('a card per source with its sparkline, latest value and place; filter, sort, keyboard; offline too', async ({ page, context }) => {
    await importTone(page, 'pump-east.wav');
    await page.goto('./');
    const stream = page.locator('fs-source-card').filter({ hasText: 'Data Stream' }).filter({ hasText: 'pump-east.wav' });
    const array = card(page, 'pump-east.wav').filter({ hasText: 'Data Array' }); // the spectrum is another array, named after it
    await expect(stream).toBeVisible();
    await expect(array).toBeVisible();
    for (const one of [stream, array]) {
      await expect(one.locator('svg[role="img"] path')).toHaveAttribute('d', /^M[\d.]+ [\d.]+V/);
      await expect(one.locator('.where')).toHaveText('On this device');
    }
    // The decoded array: 16,000 samples at 8 kHz, no start time: its last sample is at 2 s (index 15,999 / 8000).
    await expect(array.locator('.latest')).toContainText('at 2 s');
    await expect(array.locator('.size')).toHaveText('64.0 KB');
    await expect(stream.locator('.state')).toHaveText('import done');
    // The module list is still on the front page.
    await expect(page.locator('fs-front-page .modules').getByRole('link', { name: /Data Arrays/ })).toBeVisible();
    await expectAccessible(page);

    // Filter by words and type; sort by name.
    await page.getByLabel('Filter', { exact: true }).fill('no such pump');
    await expect(page.getByText('No source matches this filter.')).toBeVisible();
    await page.getByLabel('Filter', { exact: true }).fill('EAST');
    await page.getByLabel('Type').selectOption('stream');
    await expect(page.locator('fs-source-card')).toHaveCount(1);
    await expect(page.locator('fs-source-card')).toContainText('Data Stream');
    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('Sort').selectOption('name');
    await expect(page.locator('fs-source-card').first()).toContainText('pump-east.wav');

    // Keyboard: from the sort, Tab reaches the first card's link; Enter opens its page. The link is finger-sized.
    const link = page.locator('fs-source-card').first().getByRole('link');
    expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await page.getByLabel('Sort').focus();
    await page.keyboard.press('Tab');
    await expect(link).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/(stream|array)\//);

    // Offline, from the service worker's cache and the device's data.
    await startOffline(page, context, '#/');
    await expect(stream.locator('svg[role="img"] path')).toHaveAttribute('d', /^M/);
    await expect(array.locator('svg[role="img"] path')).toHaveAttribute('d', /^M/);
    await context.setOffline(false);
  });

  test('1,000 sources: only the cards in view are drawn; scrolling draws further cards', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('./#/settings');
    // 1,000 small arrays: 64 float32 samples each (a ramp from the array's number), at 10 Hz.
    await withAppStorage(
      page,
      `for (let i = 0; i < 1000; i++) {
        const id = 'bulk-' + String(i).padStart(4, '0');
        await storage.put(id, { portal_type: 'Data Array', title: 'Sensor ' + String(i).padStart(4, '0'), reference: id, modification_date: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
          dtype: 'float32', shape: [64], sampling_rate: 10, pyramid: { base: 512, dtype: 'float32' } });
        await storage.putAttachment(id, 'data', Float32Array.from({ length: 64 }, (_, k) => i + k / 64));
      }`,
    );
    await page.goto('./');
    await expect(page.getByRole('status').filter({ hasText: '1,000 sources' })).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('Sort').selectOption('name');
    await expect(sparkline(page, 'Sensor 0000')).toHaveAttribute('d', /^M/);
    await expect(card(page, 'Sensor 0000').locator('.latest')).toContainText('0.9844 at 6.3 s');
    const rendered = await page.locator('fs-source-card').count();
    expect(rendered).toBeGreaterThan(2);
    expect(rendered).toBeLessThan(60);
    await expect(card(page, 'Sensor 0999')).toHaveCount(0);
    await page.locator('fs-dashboard lit-virtualizer').evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    await expect(sparkline(page, 'Sensor 0999')).toHaveAttribute('d', /^M/);
    await expect(card(page, 'Sensor 0999')).toHaveAttribute('aria-posinset', '1000');
    await expect(card(page, 'Sensor 0000')).toHaveCount(0);
    expect(await page.locator('fs-source-card').count()).toBeLessThan(60);
    // A filter brings a short list back to its top.
    await page.getByLabel('Filter', { exact: true }).fill('sensor 0500');
    await expect(page.locator('fs-source-card')).toHaveCount(1);
    await expectAccessible(page);
  });
});

test.describe('dashboard while recording', () => {
  test('a recording in another tab moves on the open dashboard', async ({ page, context }) => {
    test.setTimeout(120_000);
    await page.goto('./');
    await expect(page.getByText('No sources yet')).toBeVisible();
    const recorder = await context.newPage();
    await recorder.goto('./#/record');
    await recorder.getByLabel('Title (optional)').fill('Live bearing');
    await recorder.getByRole('button', { name: 'Start recording' }).click();

    const stream = page.locator('fs-source-card').filter({ hasText: 'Data Stream' }).filter({ hasText: 'Live bearing' });
    await expect(stream.locator('.state')).toHaveText('Recording', { timeout: 20_000 });
    // Its array grows every 2 s: the latest time and the size move while the page stays open.
    await expect(stream.locator('svg[role="img"] path')).toHaveAttribute('d', /^M/, { timeout: 30_000 });
    const size = await stream.locator('.size').textContent();
    const latest = await stream.locator('.latest time').getAttribute('datetime');
    await expect.poll(() => stream.locator('.size').textContent(), { timeout: 30_000 }).not.toBe(size);
    await expect.poll(() => stream.locator('.latest time').getAttribute('datetime'), { timeout: 30_000 }).not.toBe(latest);
    await recorder.getByRole('button', { name: 'Stop' }).click();
    await expect(stream.locator('.state')).not.toHaveText('Recording', { timeout: 20_000 });
  });
});
