import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { demoValue } from '../compute/signals/demo-signal';
import { startOffline } from './support/go-offline';

/** p-quantile (type 7: linear between the ranks around q·(n − 1)) of channel 0 of the test signal, samples [from, to). */
function quantile(from: number, to: number, q: number): number {
  const values = Float64Array.from({ length: to - from }, (_, i) => demoValue(from + i, 0)).sort();
  const rank = q * (values.length - 1);
  const below = Math.floor(rank);
  return values[below]! + (rank - below) * (values[below + 1]! - values[below]!);
}

/** A 10-minute test signal at 100 Hz starting at 10:00:00 (UTC: the browser's zone in this spec). */
async function makeSignal(page: Page): Promise<string> {
  await page.goto('./#/arrays');
  await page.getByText('Make a test signal').click();
  await page.getByLabel('Samples').fill('60000');
  await page.getByLabel('Sampling rate (Hz)').fill('100');
  await page.getByLabel('Start time').fill('2024-06-01T10:00:00');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page).toHaveURL(/#\/array\/[^/?]+/, { timeout: 30_000 });
  return new URL(page.url()).hash.split('/')[2]!.split('?')[0]!;
}

/** The columns of the table: the statistics asked (the defaults here), then those the box plots add. */
const COLUMNS = ['count', 'mean', 'rms', 'median', 'p99', 'min', 'q1', 'q3', 'max'];

/** The cell of `column` in the row of slice `label` (after the slice and its sample count). */
function cell(page: Page, label: string, column: string) {
  const row = page.locator('fs-statistics-view tr').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  return row.locator('td').nth(1 + COLUMNS.indexOf(column));
}

test.describe('statistics per timeslice', () => {
  test.use({ timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });

  test('per-minute p99 of a known signal matches the value computed here, kept in the link, offline too', async ({ page, context }) => {
    const id = await makeSignal(page);
    await page.getByRole('button', { name: 'Statistics per hour, day…' }).click();
    await page.getByLabel('Timeslice').selectOption('minute');
    await page.getByLabel('Calendar (static)').check();
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Compute statistics' }).press('Enter'); // the keyboard works it
    await expect(page).toHaveURL(/stats=count%2Cmean%2Crms%2Cmedian%2Cp99%3Bminute%3Bstatic%3B%3B%3BUTC|stats=count,mean,rms,median,p99;minute;static;;;UTC/);
    await expect(page.getByRole('rowheader', { name: '2024-06-01T10:09+00:00', exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('fs-statistics-view').getByRole('rowheader')).toHaveCount(10);
    const expected = quantile(3 * 6000, 4 * 6000, 0.99); // 10:03–10:04
    const shown = Number(await cell(page, '2024-06-01T10:03+00:00', 'p99').textContent());
    expect(shown).toBeCloseTo(expected, 5);
    await expect(page.getByText('Quantiles are exact.')).toBeVisible();
    await expect(page.locator('fs-statistics-view svg[role="img"] g.box')).toHaveCount(10);
    await expect(page.locator('fs-statistics-view fs-graph')).toBeVisible();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    const link = new URL(page.url()).hash;
    expect(link).toContain(`#/array/${id}`);
    // The result is kept as a Statistics document: listed, and reused offline without recomputing.
    await page.goto('./#/statistics');
    await expect(page.getByRole('link', { name: /per calendar minute/ })).toBeVisible();
    await startOffline(page, context, link);
    await expect(page.getByRole('rowheader', { name: '2024-06-01T10:03+00:00', exact: true })).toBeVisible({ timeout: 30_000 });
    expect(Number(await cell(page, '2024-06-01T10:03+00:00', 'p99').textContent())).toBeCloseTo(expected, 5);
    await expect(page.getByText(/kept from an earlier run/)).toBeVisible();

    // Offline, a new choice is computed on the device: a fixed-length minute from 10:00:30 gives 10 slices, the first 6,000 samples from 3,000.
    await page.getByLabel('Fixed length from the start (dynamic)').check();
    await page.getByLabel('Start date', { exact: true }).fill('2024-06-01T10:00:30');
    await page.getByRole('button', { name: 'Compute statistics' }).click();
    await expect(page.getByRole('rowheader', { name: '2024-06-01T10:00:30+00:00', exact: true })).toBeVisible({ timeout: 30_000 });
    expect(Number(await cell(page, '2024-06-01T10:00:30+00:00', 'p99').textContent())).toBeCloseTo(quantile(3000, 9000, 0.99), 5);
    await context.setOffline(false);
  });

  test('a CSV whose rows carry uneven times: per-hour statistics slice by each row\'s own time', async ({ page }) => {
    // About 3 hours from 10:00:00Z, 1 to 5 s between rows; values exact in float32 (the decoder's type).
    const start = Date.parse('2024-06-01T10:00:00Z');
    const rows: { time: number; value: number }[] = [];
    for (let i = 0, time = start; time < start + 3 * 3_600_000; i += 1, time += (1 + ((i * 7) % 5)) * 1000 + (i % 3) * 125) rows.push({ time, value: ((i * 37) % 1000) / 8 - 40 });
    const csv = ['timestamp,vibration', ...rows.map(({ time, value }) => `${new Date(time).toISOString()},${value}`)].join('\n');
    const hour = rows.filter(({ time }) => time >= start + 3_600_000 && time < start + 7_200_000).map(({ value }) => value);
    const sorted = Float64Array.from(hour).sort();
    const rank = 0.99 * (sorted.length - 1);
    const p99 = sorted[Math.floor(rank)]! + (rank - Math.floor(rank)) * (sorted[Math.floor(rank) + 1]! - sorted[Math.floor(rank)]!);

    await page.goto('./#/import');
    await page.locator('fs-import-page input[type=file]').setInputFiles([{ name: 'logger.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
    await page.getByRole('link', { name: 'its graph' }).click({ timeout: 20_000 });
    // The graph draws the values, not the time channel beside them.
    await expect(page.locator('fs-array-page .readout')).toContainText('points drawn');
    await expect(page.locator('fs-array-page .readout')).not.toContainText('ch 2');
    await page.getByRole('button', { name: 'Statistics per hour, day…' }).click();
    await page.getByLabel('Timeslice').selectOption('hour');
    await page.getByLabel('Calendar (static)').check();
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Compute statistics' }).click();
    await expect(page.getByRole('rowheader', { name: '2024-06-01T11:00+00:00', exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('fs-statistics-view').getByRole('rowheader')).toHaveCount(3);
    expect(Number(await cell(page, '2024-06-01T11:00+00:00', 'count').textContent())).toBe(hour.length);
    const shown = Number(await cell(page, '2024-06-01T11:00+00:00', 'p99').textContent());
    expect(Math.abs(shown - p99)).toBeLessThanOrEqual(Math.abs(p99) * 1e-5); // shown to 6 digits
    // The time channel is not offered as a channel of its own.
    await expect(page.locator('fs-statistics-view').getByLabel('Channel')).toHaveCount(0);
    // The dashboard's card gives the last row's own time.
    await page.goto('./');
    const card = page.locator('fs-source-card').filter({ hasText: 'Data Array' }).filter({ has: page.getByRole('heading', { name: 'logger.csv', exact: true }) });
    await expect(card.locator('.latest time')).toHaveAttribute('datetime', new Date(rows.at(-1)!.time).toISOString());
  });

  test('a bad choice in the link says what to fix', async ({ page }) => {
    const id = await makeSignal(page);
    await page.goto(`./#/array/${id}?stats=p99;hour`);
    await expect(page.getByRole('alert')).toContainText('A timeslice needs timeslice_is_static');
    await page.goto(`./#/array/${id}?stats=fastest;hour;static`);
    await expect(page.getByRole('alert')).toContainText('Unknown statistic “fastest”');
  });
});
