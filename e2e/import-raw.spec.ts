import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** A logger's file: 2 channels of big-endian int16, frame by frame (channel 1 counts up, channel 2 is a sawtooth). */
function loggerFile(frames: number): Buffer {
  const bytes = Buffer.alloc(frames * 4);
  for (let frame = 0; frame < frames; frame += 1) {
    bytes.writeInt16BE(frame, frame * 4);
    bytes.writeInt16BE((frame % 100) * 300 - 15000, frame * 4 + 2);
  }
  return bytes;
}

test('raw files wait for their declared format, then become one array per channel; a ragged one is refused by name', async ({ page }) => {
  const frames = 4000;
  const bytes = loggerFile(frames);
  await page.goto('./#/import');
  await expect(page.locator('fs-import-page')).toContainText('raw sample files');
  await page.locator('fs-import-page input[type=file]').setInputFiles([
    { name: 'logger.bin', mimeType: 'application/octet-stream', buffer: bytes },
    { name: 'ragged.bin', mimeType: 'application/octet-stream', buffer: bytes.subarray(0, 4001) },
  ]);

  const form = page.getByRole('form', { name: 'Raw samples: declare their format' });
  await expect(form).toContainText('logger.bin');
  await expect(form).toContainText('ragged.bin');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await form.getByLabel('Sample type').selectOption('int16');
  await form.getByLabel('Sample rate (Hz)').fill('8000');
  await form.getByLabel('Big-endian').check();
  // A bad entry is explained next to the form, and nothing typed or chosen is lost.
  await form.getByLabel('Channels').fill('0');
  await form.getByRole('button', { name: 'Import 2 raw files' }).click();
  await expect(form.getByRole('alert')).toHaveText('Channels: enter a whole number from 1 to 1024.');
  await expect(form.getByLabel('Channels')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Sample rate (Hz)')).toHaveValue('8000');
  await expect(form.getByLabel('Big-endian')).toBeChecked();
  await form.getByLabel('Channels').fill('2');
  await form.getByLabel('Channels').press('Enter'); // the keyboard submits it
  await expect(form).toHaveCount(0);

  const imports = page.getByRole('list', { name: 'Imports' });
  await expect(imports.getByRole('alert')).toHaveText('ragged.bin (at byte 4000): 1 byte is left over after the last whole frame: a frame of 2 × int16 is 4 bytes, so the file is cut short or its format is not the one declared.');
  await expect(imports.getByRole('link', { name: 'channel 1' })).toBeVisible();

  await imports.getByRole('link', { name: 'channel 2' }).click();
  await expect(page.locator('fs-app header h1')).toHaveText('logger.bin — channel 2');
  await expect(page.getByRole('row', { name: 'Samples' })).toContainText(`${frames.toLocaleString('en')}`);
  await expect(page.getByRole('row', { name: 'Sampling rate' })).toContainText('8000 per s');
  // The readout shows the values as they were written: the sawtooth's extremes, unscaled.
  await expect(page.locator('fs-array-page .readout')).toContainText(`Samples 0–4,000 of 4,000`);
  await expect(page.locator('fs-array-page .readout')).toContainText('min -15000 max 14700');

  await page.goto('./#/arrays');
  await page.getByRole('link', { name: /^logger\.bin — channel 1/ }).click(); // not its spectrum, which the chain may have made meanwhile
  await expect(page.locator('fs-app header h1')).toHaveText('logger.bin — channel 1');
  await expect(page.locator('fs-array-page .readout')).toContainText('of 4,000');
  await expect(page.locator('fs-array-page .readout')).toContainText('min 0 max 3999');

  // The ragged file left nothing; the stream keeps the declared format.
  await page.goto('./#/streams');
  await expect(page.getByRole('link', { name: /ragged\.bin/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /logger\.bin/ })).toBeVisible();
});
