import { expect, type Page } from '@playwright/test';

/** Makes a test-signal Data Array of `samples` samples from the arrays page; resolves to its id, once its page is open. */
export async function makeTestSignal(page: Page, samples: number): Promise<string> {
  await page.goto('./#/arrays');
  await page.getByText('Make a test signal').click();
  await page.getByLabel('Samples').fill(String(samples));
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page).toHaveURL(/#\/array\/[^/?]+/, { timeout: 30_000 });
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!.split('?')[0]!);
}
