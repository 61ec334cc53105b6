import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { demoValue } from '../compute/signals/demo-signal';
import { startOffline } from './support/go-offline';

const SAMPLES = 60_000;

/** What the readout shows for a number (six significant digits). */
const shown = (value: number) => Number(value.toPrecision(6)).toString();

/** min and max of channel 0 of the test signal, samples [from, to), times `gain`. */
function extremes(gain: number, from = 0, to = SAMPLES): { min: string; max: string } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i += 1) {
    const value = gain * demoValue(i, 0);
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return { min: shown(min), max: shown(max) };
}

/** A 10-minute test signal at 100 Hz from 10:00:00 (UTC in this spec). */
async function makeArray(page: Page): Promise<string> {
  await page.goto('./#/arrays');
  await page.getByText('Make a test signal').click();
  await page.getByLabel('Samples').fill(String(SAMPLES));
  await page.getByLabel('Sampling rate (Hz)').fill('100');
  await page.getByLabel('Start time').fill('2024-06-01T10:00:00');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page).toHaveURL(/#\/array\/[^/?]+/, { timeout: 30_000 });
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!.split('?')[0]!);
}

/** No serious or critical axe violation on the page as it is. */
async function expectAccessible(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

const idOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash.split('/')[2]!.split('?')[0]!);

test.describe('named signals calibrated per experiment', () => {
  test.use({ timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });

  test('an experiment, a signal bound to a test array: the graph shows calibrated values in its unit; a recalibration is kept in the history; offline too', async ({ page, context }) => {
    const arrayId = await makeArray(page);

    // The experiment: its time range makes the array its own.
    await page.goto('./#/experiments');
    await page.getByRole('button', { name: 'New experiment' }).click();
    await expect(page).toHaveURL(/#\/experiment\/[^/?]+/);
    const experimentId = idOf(page);
    await page.getByLabel('Name').fill('Shot 7');
    await page.getByLabel('Shot').fill('7');
    await page.getByLabel('Start', { exact: true }).fill('2024-06-01T10:00:00');
    await page.getByLabel('End', { exact: true }).fill('2024-06-01T09:30:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toContainText('its time range [2024-06-01T10:00:00.000Z, 2024-06-01T09:30:00.000Z) is empty: the end must come after the start');
    await page.getByLabel('End', { exact: true }).fill('2024-06-01T10:30:00');
    await page.getByLabel('Gas').fill('He');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByText('recorded in its time range')).toBeVisible();
    await expect(page.locator('fs-experiment-page').getByRole('link', { name: 'Test signal, 60,000 samples' })).toBeVisible();
    await expectAccessible(page);

    // The signal, bound to channel 1 of the array for that experiment: 1 V → 1000 mA.
    await page.goto('./#/signals');
    await page.getByRole('button', { name: 'New signal' }).click();
    await expect(page).toHaveURL(/#\/signal\/[^/?]+/);
    const signalId = idOf(page);
    await page.getByLabel('Name').fill('Langmuir_I');
    await page.getByLabel('Unit', { exact: true }).fill('mA');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('The signal is saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Add binding' }).click();
    await expectAccessible(page);
    // By reference, the form offers the references of the arrays there are.
    await page.getByRole('radio', { name: "Each experiment's array with this reference" }).check();
    await expect(page.locator('fs-binding-form datalist option')).toHaveCount(1);
    await expect(page.locator('fs-binding-form datalist option')).toHaveAttribute('value', /^test-signal-/);
    await page.getByRole('radio', { name: 'This array' }).check();
    await page.getByRole('checkbox', { name: /Shot 7/ }).check();
    await page.getByRole('combobox', { name: 'Array' }).selectOption(arrayId);
    await page.getByRole('textbox', { name: 'Gain' }).fill('1000');
    await page.getByLabel('Raw unit').fill('V');
    await expect(page.getByLabel('Calibrated unit')).toHaveValue('mA');
    await page.getByRole('button', { name: 'Add binding' }).click();
    await expect(page.getByRole('rowheader', { name: 'b1' })).toBeVisible();

    await page.getByRole('combobox', { name: 'Experiment', exact: true }).selectOption(experimentId);
    await expect(page).toHaveURL(new RegExp(`#/signal/${encodeURIComponent(signalId)}\\?(.*&)?experiment=${encodeURIComponent(experimentId)}`));
    const readout = page.getByRole('status', { name: 'Graph readout' });
    const once = extremes(1000);
    await expect(readout).toHaveText(`Samples 0–60,000 of 60,000 · min ${once.min} mA · max ${once.max} mA`, { timeout: 20_000 });
    await expect(page.getByText('Binding b1: channel 1 of')).toBeVisible();
    await expect(page.locator('fs-graph .dygraph-ylabel')).toHaveText('mA');
    await expectAccessible(page);

    // Recalibrate: the new gain applies, the earlier binding stays with the time it held.
    await page.getByRole('button', { name: 'Edit binding b1' }).click();
    await page.getByRole('textbox', { name: 'Gain' }).fill('-2000');
    await page.getByLabel('Note (why this change)').fill('amplifier swapped');
    await page.getByRole('button', { name: 'Save as a new binding' }).click();
    const twice = extremes(-2000);
    await expect(readout).toHaveText(`Samples 0–60,000 of 60,000 · min ${twice.min} mA · max ${twice.max} mA`, { timeout: 20_000 });
    await expect(page.getByRole('row', { name: /b1 applied here before/ })).toContainText('replaced by b2');
    await expect(page.getByRole('row', { name: /b2 applies here/ })).toContainText('amplifier swapped');

    // CSV of the view: calibrated values, headed by the signal's name and unit.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await downloading).path())!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time_s,Langmuir_I (mA)');
    expect(csv).toHaveLength(SAMPLES + 1);
    expect(csv[101]).toBe(`1,${-2000 * demoValue(100, 0)}`);

    // The spectrogram of the calibrated signal.
    await page.getByLabel('Spectrogram').check();
    await expect(page.getByRole('img', { name: /Spectrogram of Langmuir_I, 0–50 Hz/ })).toBeVisible({ timeout: 20_000 });

    // A derived signal: a formula over the first, computed for the same experiment.
    await page.goto('./#/signals');
    await page.getByRole('button', { name: 'New signal' }).click();
    await expect(page).toHaveURL(/#\/signal\/[^/?]+/);
    await page.getByLabel('Name').fill('Power_like');
    await page.getByLabel('Unit', { exact: true }).fill('mA²');
    await page.getByLabel(/Formula/).fill('Langmuir_I * Langmuir_I / 1000');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('This signal is derived')).toBeVisible();
    await page.getByRole('combobox', { name: 'Experiment', exact: true }).selectOption(experimentId);
    const squared = Array.from({ length: SAMPLES }, (_, i) => (-2000 * demoValue(i, 0) * (-2000 * demoValue(i, 0))) / 1000);
    await expect(readout).toHaveText(`Samples 0–60,000 of 60,000 · min ${shown(Math.min(...squared))} mA² · max ${shown(Math.max(...squared))} mA²`, { timeout: 20_000 });
    await expect(page.getByText('Derived: Langmuir_I * Langmuir_I / 1000')).toBeVisible();

    // The spectrum of the derived signal is kept as a Data Array made from it.
    await page.getByRole('button', { name: 'Spectrum' }).click();
    await expect(page).toHaveURL(/#\/array\/[^/?]+/, { timeout: 30_000 });
    await expect(page.locator('fs-app header h1')).toHaveText('Spectrum of Power_like');

    // The experiment page lists the signal as it resolves there.
    await page.goto(`./#/experiment/${encodeURIComponent(experimentId)}`);
    const signalRow = (name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await expect(signalRow('Langmuir_I')).toContainText('binding b2: channel 1 of');
    await expect(signalRow('Power_like')).toContainText('derived: Langmuir_I * Langmuir_I / 1000');

    // Search finds the signal by name; a deep link opens it for the experiment, offline as well.
    await page.goto('./#/signals?q=langmuir');
    await expect(page.getByRole('link', { name: 'Langmuir_I' })).toBeVisible();
    await startOffline(page, context, `#/signal/${encodeURIComponent(signalId)}?experiment=${encodeURIComponent(experimentId)}&start=1000&end=2000`);
    const part = extremes(-2000, 1000, 2000);
    await expect(page.getByRole('status', { name: 'Graph readout' })).toHaveText(`Samples 1,000–2,000 of 60,000 · min ${part.min} mA · max ${part.max} mA`, { timeout: 20_000 });
    // Statistics of the view, from the calibrated samples (offline: nothing leaves the device).
    await page.getByRole('button', { name: 'Statistics of the view' }).click();
    const table = page.getByRole('table', { name: 'Statistics of the view' });
    await expect(table.getByRole('cell').first()).toHaveText('1000');
    const values = Array.from({ length: 1000 }, (_, i) => -2000 * demoValue(1000 + i, 0));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(Number(await table.getByRole('cell').nth(1).textContent())).toBeCloseTo(mean, 2);
    await expect(table.getByRole('cell').nth(5)).toHaveText(part.min);
    await expect(table.getByRole('cell').nth(6)).toHaveText(part.max);
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect(page.getByRole('status', { name: 'Graph readout' })).toHaveText(`Samples 0–60,000 of 60,000 · min ${twice.min} mA · max ${twice.max} mA`);
    await expect(page).toHaveURL(/start=0/);
  });
});
