import { test, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { encodeWav } from '../compute/ingest/wav-encoder';
import { withAppStorage } from './support/app-storage';

// A field engineer's tablet held upright: touch, 768 px wide, the navigation folded behind the Menu button.
test.use({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true });

/** Fingers need about 44 px; smaller controls are missed or hit their neighbour. */
async function expectFingerSized(control: Locator): Promise<void> {
  const box = await control.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
}

/** Whether an element shows all of its text (nothing cut off by an ellipsis or a clamp). */
function showsAllText(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => element.scrollWidth <= element.clientWidth && element.scrollHeight <= element.clientHeight);
}

test.describe('portrait tablet', () => {
  test('a long file name shows whole in the header, and the links after an import are finger-sized', async ({ page }) => {
    const name = 'pump-north-bearing-housing-2024-06-01-run-2.wav';
    const rate = 8000;
    const tone = Array.from({ length: rate / 4 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
    await page.goto('./#/import');
    await page.locator('fs-import-page input[type=file]').setInputFiles([{ name, mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, { sampleRate: rate })) }]);
    await expectFingerSized(page.getByRole('link', { name: 'its graph' }));
    await expectFingerSized(page.getByRole('link', { name: 'the stream' }));

    await page.getByRole('link', { name: 'the stream' }).click();
    await expect(page.locator('fs-app header h1')).toHaveText(name);
    expect(await showsAllText(page, 'fs-app header h1')).toBe(true); // the header is the only place the name is shown
    await expectFingerSized(page.getByRole('link', { name: 'Samples' }));
  });

  test('forms say what they are: a tappable test-signal toggle, room for a title, no status pointing at its own page', async ({ page }) => {
    await page.goto('./#/arrays');
    const toggle = page.getByText('Make a test signal');
    await expectFingerSized(toggle);
    // Only a list item shows the disclosure triangle that tells it opens.
    expect(await toggle.evaluate((summary) => getComputedStyle(summary).display)).toBe('list-item');

    await page.goto('./#/record');
    const title = page.getByLabel('Title (optional)');
    expect((await title.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(250); // the placeholder's example fits

    await page.goto('./#/remotes');
    await expect(page.getByText('This device does not sync yet')).toBeVisible();
    await expect(page.getByText('add one on the Remotes page')).toHaveCount(0);
  });

  test('a spectrum holding -Infinity dB (digital silence) is drawn, its resolution in Hz, with no serious axe findings nor skipped heading levels', async ({ page }) => {
    await page.goto('./#/');
    await withAppStorage(
      page,
      `
      const count = 3000, base = 512;
      // Every other bin is silent (-Infinity dB), the others between -20 and -69 dB.
      const data = Float32Array.from({ length: count }, (_, i) => (i % 2 === 0 ? -Infinity : -20 - (i % 50)));
      // The min/max pyramid, [min, max, first, last] per block, as storage/arrays/pyramid.ts lays it out.
      const summarize = (from, to) => {
        const block = data.subarray(from, to);
        return [Math.min(...block), Math.max(...block), block[0], block[block.length - 1]];
      };
      const level = (size) => Float32Array.from(Array.from({ length: Math.floor(count / size) }, (_, b) => summarize(b * size, (b + 1) * size)).flat());
      await storage.put('silent-spectrum', {
        portal_type: 'Data Array', title: 'Spectrum of silence', reference: 'silent-spectrum', modification_date: new Date().toISOString(),
        dtype: 'float32', shape: [count], sampling_rate: 0.5, units: { x: 'Frequency (Hz)', y: 'dB' }, pyramid: { base, dtype: 'float32' },
      });
      await storage.putAttachment('silent-spectrum', 'data', data);
      for (const [index, size] of [base, 2 * base, 4 * base].entries()) await storage.putAttachment('silent-spectrum', 'pyramid-' + index, level(size));
      `,
    );
    await page.goto('./#/array/silent-spectrum');
    await expect(page.getByRole('status').filter({ hasText: 'Samples 0–3,000 of 3,000' })).toBeVisible();
    // dygraphs given an infinite value cannot scale its y axis and draws nothing: the axis has labels only when it drew.
    await expect(page.locator('fs-graph .dygraph-axis-label-y').first()).toBeVisible();
    await expect(page.getByRole('row', { name: /Resolution/ })).toContainText('2 Hz per sample · 5998 Hz in all');
    // The range selector's zoom handles are big enough for a finger (dygraphs makes them 9×16 px).
    await expect(page.locator('fs-graph img')).toHaveCount(2);
    for (const handle of await page.locator('fs-graph img').all()) expect((await handle.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(40);
    // The chain's statistics are of the finite bins; the silent ones are counted apart (the chain runs in the background: on a busy machine it takes a while).
    await expect(page.getByRole('row', { name: /Statistics/ })).toContainText('min -69 · max -21', { timeout: 45_000 });
    await expect(page.getByRole('row', { name: /Statistics/ })).toContainText('1500 infinite');

    const results = await new AxeBuilder({ page }).analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order');
    expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
});
