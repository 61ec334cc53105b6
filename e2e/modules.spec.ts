import { test, expect } from '@playwright/test';

test.describe('module lists and notebooks', () => {
  test('an empty module says so and what to do', async ({ page }) => {
    await page.goto('./#/arrays');
    await expect(page.locator('fs-app header h1')).toHaveText('Data Arrays');
    await expect(page.getByText('No data arrays yet.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Data Arrays' })).toHaveAttribute('aria-current', 'page');
    // The hint names the ways in that the page offers, and the button that makes an image by its own label.
    await expect(page.getByText('No data arrays yet.')).toContainText('generate a test signal');
    await page.goto('./#/images');
    await expect(page.getByText('No images yet.')).toContainText('“Save PNG”');
  });

  test('a notebook is created, saved as typed, found by search, kept after reload and deleted', async ({ page }) => {
    await page.goto('./#/notebooks');
    await expect(page.getByText('No notebooks yet.')).toBeVisible();
    await page.getByRole('button', { name: 'New notebook' }).click();
    await expect(page).toHaveURL(/#\/notebook\/[^/?]+$/);
    const notebookUrl = page.url();

    await page.getByLabel('Title', { exact: true }).fill('Pump station north');
    await page.getByLabel('Notes').fill('Bearing noise at 120 Hz after restart.');
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await expect(page.locator('fs-app header h1')).toHaveText('Pump station north');

    await page.reload();
    await expect(page.getByLabel('Notes')).toHaveValue('Bearing noise at 120 Hz after restart.');

    await page.goto('./#/notebooks');
    await expect(page.getByRole('link', { name: /Pump station north/ })).toBeVisible();
    await page.getByLabel('Search').fill('station pump');
    await expect(page).toHaveURL(/q=station%20pump/);
    await expect(page.getByRole('link', { name: /Pump station north/ })).toBeVisible();
    await page.getByLabel('Search').fill('valve');
    await expect(page.getByText('No notebooks match “valve”.')).toBeVisible();

    await page.goto(notebookUrl);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect(page).toHaveURL(/#\/notebooks$/);
    await expect(page.getByText('No notebooks yet.')).toBeVisible();
  });

  test('leaving a notebook right after typing still saves what was typed', async ({ page }) => {
    await page.goto('./#/notebooks');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await expect(page.getByLabel('Notes')).toBeVisible();
    const notebookUrl = page.url();
    await page.getByLabel('Notes').fill('typed just before leaving');
    await page.goto('./#/notebooks'); // well before the save delay
    await page.goto(notebookUrl);
    await expect(page.getByLabel('Notes')).toHaveValue('typed just before leaving');
  });

  test('a missing notebook says it cannot be opened', async ({ page }) => {
    await page.goto('./#/notebook/no-such-id');
    await expect(page.getByRole('alert')).toContainText('This notebook cannot be opened');
    await expect(page.getByRole('link', { name: 'All notebooks' })).toBeVisible();
  });
});
