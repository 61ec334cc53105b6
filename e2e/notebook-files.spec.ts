import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { startOffline } from './support/go-offline';

/** Imports a 2 s WAV recording of a 1 kHz tone and waits for its Data Array. */
async function importTone(page: Page): Promise<void> {
  const rate = 16000;
  const tone = Array.from({ length: rate * 2 }, (_, i) => 0.6 * Math.sin((2 * Math.PI * 1000 * i) / rate));
  await page.goto('./#/import');
  await page.locator('fs-import-page input[type=file]').setInputFiles([{ name: 'pump-east.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, { sampleRate: rate })) }]);
  await expect(page.getByRole('link', { name: 'its graph' })).toBeVisible({ timeout: 20_000 });
}

test.describe('notebooks from and to files', () => {
  for (const offline of [false, true]) {
    test(`${offline ? 'offline: ' : ''}the shipped example reads a recording chunk by chunk, stores its spectrum, draws it and keeps the picture`, async ({ page, context }) => {
      if (offline) await startOffline(page, context, '#/notebooks');
      await importTone(page);
      await page.goto('./#/notebooks');
      await page.getByRole('button', { name: 'Example: spectrum of a recording' }).click();
      await expect(page).toHaveURL(/#\/notebook\/[^/?]+$/);
      await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Spectrum of a recording');
      await expect(page.getByRole('listitem', { name: 'Cell 1' }).getByRole('heading', { name: 'Spectrum of a recording' })).toBeVisible(); // rendered markdown
      await page.getByRole('button', { name: 'Run all' }).click();
      await expect(page.getByLabel('Cell 3 output')).toContainText('Read 32000 samples of “pump-east.wav” chunk by chunk', { timeout: 20_000 });
      await expect(page.getByLabel('Cell 4 output')).toContainText('Peak at 1000.0 Hz', { timeout: 20_000 });
      await expect(page.getByLabel('Cell 4 output').locator('fs-graph canvas').first()).toBeVisible();
      await expect(page.getByLabel('Cell 5 output')).toContainText('Kept as the Image', { timeout: 20_000 });
      await expect(page.getByLabel('Cell 5 output').getByRole('img', { name: 'image output' })).toBeVisible();
      await page.goto('./#/images');
      await expect(page.getByRole('link', { name: /Spectrum of pump-east\.wav \(notebook\)/ })).toBeVisible();
      await page.goto('./#/arrays');
      await expect(page.getByRole('link', { name: /Spectrum of pump-east\.wav \(notebook\)/ })).toBeVisible();
    });
  }

  test('a notebook exported as .ipynb imports again with its cells and outputs; a broken file is refused and nothing is made', async ({ page }) => {
    await page.goto('./#/notebooks');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Round trip');
    await page.getByRole('button', { name: '+ Code' }).click();
    await page.getByLabel('Cell 1 source').locator('.cm-content').click();
    await page.keyboard.type('console.log("hello"); 6 * 7');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByLabel('Cell 1 output')).toContainText('42');
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export .ipynb' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('Round_trip.ipynb');
    const file = readFileSync(await download.path(), 'utf8');
    const notebook = JSON.parse(file) as { nbformat: number; cells: Array<{ cell_type: string; source: string[]; outputs: Array<{ output_type: string }> }> };
    expect(notebook.nbformat).toBe(4);
    expect(notebook.cells[0]?.source.join('')).toBe('console.log("hello"); 6 * 7');
    expect(notebook.cells[0]?.outputs.map((output) => output.output_type)).toEqual(['stream', 'execute_result']);

    await page.goto('./#/notebooks');
    await page.getByLabel('Import .ipynb').setInputFiles({ name: 'broken.ipynb', mimeType: 'application/json', buffer: Buffer.from('{"nbformat": 3') });
    await expect(page.getByText('“broken.ipynb” was not imported: This is not a Jupyter notebook')).toBeVisible();
    await expect(page).toHaveURL(/#\/notebooks$/);
    await page.getByLabel('Import .ipynb').setInputFiles({ name: 'copy.ipynb', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect(page).toHaveURL(/#\/notebook\/[^/?]+$/);
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Round trip');
    await expect(page.getByLabel('Cell 1 output')).toContainText('hello');
    await expect(page.getByLabel('Cell 1 output')).toContainText('42');
    await page.goto('./#/notebooks');
    await expect(page.getByRole('link', { name: /Round trip/ })).toHaveCount(2);
  });
});
