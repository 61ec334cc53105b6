import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { demoValue } from '../compute/signals/demo-signal';
import { withAppStorage } from './support/app-storage';
import { makeTestSignal } from './support/test-signal';

interface Drawn {
  start: number;
  end: number;
  points: number;
  extremes: { min: number; max: number }[];
}

/** What the graph drew last (read from the gadget, across shadow roots). */
async function drawn(page: Page): Promise<Drawn | undefined> {
  return page.evaluate(() => {
    const app = document.querySelector('fs-app');
    const arrayPage = app?.shadowRoot?.querySelector('fs-array-page');
    const graph = arrayPage?.shadowRoot?.querySelector('fs-graph') as (Element & { drawn?: Drawn }) | null | undefined;
    return graph?.drawn ? JSON.parse(JSON.stringify(graph.drawn)) : undefined;
  });
}

/** The true extremes of the test signal over [start, end), computed here from the same formula. */
function trueExtremes(start: number, end: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let index = start; index < end; index += 1) {
    const value = demoValue(index, 0);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

async function expectTrueExtremes(page: Page, previous?: Drawn): Promise<Drawn> {
  await expect.poll(async () => {
    const now = await drawn(page);
    return now !== undefined && (previous === undefined || now.start !== previous.start || now.end !== previous.end);
  }).toBe(true);
  const view = (await drawn(page)) as Drawn;
  const expected = trueExtremes(view.start, view.end);
  expect(view.extremes[0]!.min).toBe(expected.min);
  expect(view.extremes[0]!.max).toBe(expected.max);
  expect(view.points).toBeLessThanOrEqual(4 * 1400 + 8); // ~4 points per pixel column, whatever the range
  return view;
}

test.describe('graph of a Data Array', () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  test('a 1e6-sample array opens, zooms and pans with true extremes, and keeps the view in the link', async ({ page }) => {
    await makeTestSignal(page, 1_000_000);
    const whole = await expectTrueExtremes(page);
    expect([whole.start, whole.end]).toEqual([0, 1_000_000]);
    expect(whole.extremes[0]!.max).toBeGreaterThan(8); // the spikes are visible zoomed out

    const plot = page.locator('fs-graph .plot');
    const box = (await plot.boundingBox())!;
    const y = box.y + box.height * 0.4;

    // Drag to zoom.
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
    await page.mouse.up();
    const zoomed = await expectTrueExtremes(page, whole);
    expect(zoomed.end - zoomed.start).toBeLessThan(300_000);

    // Shift-drag to pan.
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.6, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const panned = await expectTrueExtremes(page, zoomed);
    expect(panned.start).toBeGreaterThan(zoomed.start);

    // Keyboard: zoom in, then pan right.
    await plot.focus();
    await page.keyboard.press('+');
    const keyed = await expectTrueExtremes(page, panned);
    expect(keyed.end - keyed.start).toBeLessThan(panned.end - panned.start);
    await page.keyboard.press('ArrowRight');
    const moved = await expectTrueExtremes(page, keyed);
    expect(moved.start).toBeGreaterThan(keyed.start);

    // Writing the view into the link moves neither the focus (keys keep working) nor the title.
    await expect(page).toHaveURL(new RegExp(`start=${moved.start}`));
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.localName)).toBe('fs-graph');
    // The link keeps the view (and the page keeps its title): a reload shows the same range.
    await expect(page).toHaveURL(new RegExp(`end=${moved.end}.*start=${moved.start}`));
    await expect(page.locator('fs-app header h1')).toHaveText(/^Test signal/);
    await page.reload();
    await expect.poll(async () => (await drawn(page))?.start).toBe(moved.start);
    expect((await drawn(page))?.end).toBe(moved.end);
    await expect(page.getByRole('status').filter({ hasText: `Samples ${moved.start.toLocaleString('en')}` })).toBeVisible();

    // Double-click shows everything again.
    await plot.dblclick();
    await expect.poll(async () => (await drawn(page))?.end).toBe(1_000_000);
    expect((await drawn(page))?.start).toBe(0);
  });

  test('channels as linked graphs: zooming one moves the other, each with the true extremes of its channel', async ({ page }) => {
    await page.goto('./#/arrays');
    await page.getByText('Make a test signal').click();
    await page.getByLabel('Samples').fill('300000');
    await page.getByLabel('Channels').fill('2');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page).toHaveURL(/#\/array\//);
    await page.getByLabel('One graph per channel').check();
    const graphs = page.locator('fs-graph');
    await expect(graphs).toHaveCount(2);
    const views = () =>
      page.evaluate(() =>
        [...document.querySelector('fs-app')!.shadowRoot!.querySelector('fs-array-page')!.shadowRoot!.querySelectorAll('fs-graph')].map((graph) =>
          JSON.parse(JSON.stringify((graph as Element & { drawn?: Drawn }).drawn ?? null)),
        ),
      ) as Promise<(Drawn | null)[]>;
    await expect.poll(async () => (await views()).every((view) => view?.end === 300_000)).toBe(true);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect
      .poll(async () => {
        const [first, second] = await views();
        return first!.end - first!.start < 300_000 && first!.start === second!.start && first!.end === second!.end;
      }, { timeout: 20_000 })
      .toBe(true);
    const [, second] = await views();
    let min = Infinity;
    let max = -Infinity;
    for (let index = second!.start; index < second!.end; index += 1) {
      min = Math.min(min, demoValue(index, 1));
      max = Math.max(max, demoValue(index, 1));
    }
    expect(second!.extremes[0]).toEqual({ min, max });
  });

  test('touch: a one-finger drag pans and the extremes stay true', async ({ browser }) => {
    const context = await browser.newContext({ hasTouch: true, viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await makeTestSignal(page, 1_000_000);
    const id = new URL(page.url()).hash.split('/')[2]!.split('?')[0]!;
    await page.goto(`./#/array/${id}?start=200000&end=300000`);
    await expect.poll(async () => (await drawn(page))?.start).toBe(200_000);
    const before = await expectTrueExtremes(page);
    expect([before.start, before.end]).toEqual([200_000, 300_000]);
    const box = (await page.locator('fs-graph .plot').boundingBox())!;
    const session = await context.newCDPSession(page);
    const y = box.y + box.height * 0.4;
    await session.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: box.x + box.width * 0.6, y }] });
    for (let step = 1; step <= 5; step += 1) {
      await session.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: box.x + box.width * (0.6 - step * 0.04), y }] });
    }
    await session.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const after = await expectTrueExtremes(page, before);
    expect(after.start).toBeGreaterThan(before.start);
    await context.close();
  });

  test('edge cases: one sample, a range beyond the end, an empty array, all-NaN data', async ({ page }) => {
    await makeTestSignal(page, 1);
    const single = await expectTrueExtremes(page);
    expect([single.start, single.end]).toEqual([0, 1]);

    const id = await makeTestSignal(page, 5000);
    await page.goto(`./#/array/${encodeURIComponent(id)}?start=9000&end=12000`);
    const end = await expectTrueExtremes(page);
    expect(end.end).toBe(5000); // clamped to the array: the last samples are shown
    expect(end.start).toBeLessThan(5000);

    await withAppStorage(
      page,
      `
      const now = new Date().toISOString();
      const base = { portal_type: 'Data Array', reference: 'edge', modification_date: now, dtype: 'float32', pyramid: { base: 512, dtype: 'float32' } };
      await storage.put('empty-array', { ...base, title: 'Empty', shape: [0] });
      await storage.put('nan-array', { ...base, title: 'All NaN', shape: [3000] });
      const nan = (n) => new Float32Array(n).fill(NaN);
      await storage.putAttachment('nan-array', 'data', nan(3000));
      await storage.putAttachment('nan-array', 'pyramid-0', nan(5 * 4));
      await storage.putAttachment('nan-array', 'pyramid-1', nan(2 * 4));
      await storage.putAttachment('nan-array', 'pyramid-2', nan(1 * 4));
      `,
    );
    await page.goto('./#/array/empty-array');
    await expect(page.getByText('This array has no samples yet.')).toBeVisible();

    await page.goto('./#/array/nan-array');
    await expect.poll(async () => (await drawn(page))?.end).toBe(3000);
    const nanView = (await drawn(page))!;
    expect(nanView.extremes[0]).toEqual({ min: null, max: null }); // NaN travels as null: nothing to draw, no crash
    await expect(page.getByRole('status').filter({ hasText: 'min NaN max NaN' })).toBeVisible();

    await page.goto('./#/array/no-such-array');
    await expect(page.getByRole('alert')).toContainText('This array cannot be opened');
  });

  test('Export CSV downloads the visible samples; Save PNG keeps an Image document that Images lists and shows', async ({ page }) => {
    const id = await makeTestSignal(page, 100_000);
    await page.goto(`./#/array/${encodeURIComponent(id)}?start=1000&end=1010`);
    await expect.poll(async () => (await drawn(page))?.start).toBe(1000);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time_s,channel_1');
    expect(csv).toHaveLength(11);
    expect(Number(csv[1]!.split(',')[0])).toBeCloseTo(1000 / 48000, 12);
    expect(Number(csv[1]!.split(',')[1])).toBe(demoValue(1000, 0));
    expect(Number(csv[10]!.split(',')[1])).toBe(demoValue(1009, 0));

    await page.getByRole('button', { name: 'Save PNG' }).click();
    await expect(page.getByText('The image is saved in Images.')).toBeVisible();
    await page.goto('./#/images');
    await page.getByRole('link', { name: /Test signal, 100,000 samples/ }).click();
    const image = page.locator('fs-image-page img');
    await expect(image).toBeVisible();
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(500);
    await expect(page.getByRole('link', { name: /Download PNG/ })).toBeVisible();
  });
});
