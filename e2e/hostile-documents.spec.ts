import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { repo } from './build-dirs';
import { addRemote, createServerDatabase, freshDatabase, freshDevice, putServerDoc, serverDoc } from './support/sync-server';
import { makeTestSignal } from './support/test-signal';

// Documents reach the app from any device or server that can write to the sync database. Their text must be shown as
// text: the markup below, were it ever parsed, would set window.__pwned.
const TITLE = 'Pump <img src=x onerror="window.__pwned=1"> north';
const X_UNIT = 'Time <img src=x onerror="window.__pwned=2">(s)';
const Y_UNIT = '<script>window.__pwned=3</script><b onmouseover="window.__pwned=4">m/s²</b>';
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.__pwned=5; if (window.opener) window.opener.__pwned=5">
  <script>window.__pwned=6; if (window.opener) window.opener.__pwned=6</script><rect width="10" height="10"/></svg>`;

/** Content Security Policy reports in the console: the app's own pages must need no exception. */
function watchPolicyReports(page: Page): string[] {
  const reports: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) reports.push(message.text());
  });
  return reports;
}

/** Nothing made from document text: no element with a handler, no inline script, and no handler ran. */
async function expectNothingRan(page: Page): Promise<void> {
  await expect(page.locator('[onerror], [onload], [onmouseover], script:not([src])')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

async function expectLabels(page: Page, x: string, y: string): Promise<void> {
  const xlabel = page.locator('fs-graph .dygraph-xlabel').first();
  const ylabel = page.locator('fs-graph .dygraph-ylabel').first();
  await expect(xlabel).toHaveText(x);
  await expect(ylabel).toHaveText(y);
  expect(await xlabel.evaluate((element) => element.childElementCount)).toBe(0);
  expect(await ylabel.evaluate((element) => element.childElementCount)).toBe(0);
}

test('an array with markup in its units and title, synced from the server, shows the text and runs nothing', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const database = freshDatabase('hostile');
  // A device makes an array and syncs it; then the server's copy is rewritten by some other client.
  const id = await makeTestSignal(page, 4000);
  await addRemote(page, database);
  await expect.poll(async () => Object.keys((await serverDoc(database, id))?._attachments ?? {}).some((name) => name.startsWith('data#')), { timeout: 30_000 }).toBe(true);
  const original = (await serverDoc(database, id))!;
  await putServerDoc(database, { ...original, title: TITLE, units: { x: X_UNIT, y: Y_UNIT } });

  const device = await freshDevice(browser, baseURL!, database);
  const reports = watchPolicyReports(device);
  await device.goto(`./#/array/${encodeURIComponent(id)}`);
  await expect(device.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(device.getByRole('status').filter({ hasText: 'Samples 0–4,000 of 4,000' })).toBeVisible();
  await expectLabels(device, X_UNIT, Y_UNIT);
  await expect(device.locator('fs-graph .dygraph-legend')).toContainText(TITLE);
  await expect(device.getByRole('row', { name: /Unit/ })).toContainText(Y_UNIT);
  await expectNothingRan(device);

  // Its spectrum carries the unit on (a magnitude spectrum keeps the values' unit) and the title into its own.
  await device.getByLabel('Scale').selectOption('magnitude');
  await device.getByRole('button', { name: 'Compute spectrum' }).click();
  await expect(device.getByRole('heading', { level: 1 })).toHaveText(`Spectrum of ${TITLE}`, { timeout: 30_000 });
  await expectLabels(device, 'Frequency (Hz)', Y_UNIT);
  await expectNothingRan(device);
  expect(reports).toEqual([]);
  await device.context().close();
});

test('an Image whose attachment is SVG with script is not shown, and its link only downloads bytes', async ({ browser, baseURL }) => {
  const database = freshDatabase('hostile-image');
  await createServerDatabase(database);
  const image = (id: string, type: string, bytes: Buffer) => ({
    _id: id,
    portal_type: 'Image',
    title: `${TITLE} (${type})`,
    reference: id,
    modification_date: new Date().toISOString(),
    content_type: 'image/png', // what the document claims; the attachment's own type is what a browser would go by
    // A one-piece attachment as the app's replicator lays it out (storage/replicate/chunk-names.ts).
    _attachments: { 'data#0': { content_type: type, data: bytes.toString('base64') } },
  });
  await putServerDoc(database, image('hostile-svg', 'image/svg+xml', Buffer.from(SVG)));
  await putServerDoc(database, image('plain-png', 'image/png', readFileSync(`${repo}public/icons/icon-192.png`)));

  const device = await freshDevice(browser, baseURL!, database);
  const reports = watchPolicyReports(device);
  await device.goto('./#/image/hostile-svg');
  await expect(device.getByRole('heading', { level: 1 })).toHaveText(`${TITLE} (image/svg+xml)`);
  await expect(device.getByText('is of type image/svg+xml, which is not shown here')).toBeVisible();
  await expect(device.locator('fs-image-page img')).toHaveCount(0);
  const download = device.getByRole('link', { name: /Download the file/ });
  await expect(download).toHaveAttribute('download', 'hostile-svg.svg');
  const blobType = (url: string) => device.evaluate(async (href) => (await fetch(href)).blob().then((blob) => blob.type), url);
  expect(await blobType((await download.getAttribute('href'))!)).toBe('application/octet-stream');
  await expectNothingRan(device);

  // A raster image is shown, its link of its own (inactive) type.
  await device.goto('./#/image/plain-png');
  const shown = device.locator('fs-image-page img');
  await expect(shown).toHaveJSProperty('complete', true);
  expect(await shown.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(192);
  expect(await blobType((await shown.getAttribute('src'))!)).toBe('image/png');
  await expect(device.getByRole('link', { name: /Download PNG/ })).toHaveAttribute('download', 'plain-png.png');
  expect(reports).toEqual([]);
  await device.context().close();
});

test('the app is served with a strict Content-Security-Policy: an inline script or handler put into the page is refused', async ({ page }) => {
  const response = await page.goto('./#/');
  const header = response!.headers()['content-security-policy'] ?? '';
  for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'"]) expect(header).toContain(directive);
  // The same policy is in the page itself, for static hosts that send no header and for the dev server.
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const refused = await page.evaluate(async () => {
    const violation = (directive: string) =>
      new Promise<string>((resolve) => {
        const listener = (event: SecurityPolicyViolationEvent) => {
          if (event.effectiveDirective !== directive) return;
          document.removeEventListener('securitypolicyviolation', listener);
          resolve(`${event.effectiveDirective} ${event.blockedURI}`);
        };
        document.addEventListener('securitypolicyviolation', listener);
      });
    const script = violation('script-src-elem');
    const element = document.createElement('script');
    element.textContent = 'window.__pwned = "inline script"';
    document.body.append(element);
    const handler = violation('script-src-attr');
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="data:," onerror="window.__pwned = \'inline handler\'">';
    document.body.append(holder);
    return { script: await script, handler: await handler, ran: (window as { __pwned?: unknown }).__pwned };
  });
  expect(refused).toEqual({ script: 'script-src-elem inline', handler: 'script-src-attr inline', ran: undefined });

  // The sandbox page has a policy of its own (e2e/runtime.spec.ts starts a gadget under it); no page has an inline script.
  const sandbox = await page.request.get('./gadgets/core/sandbox/iframe.html');
  expect(sandbox.headers()['content-security-policy']).toContain("object-src 'none'");
  expect(await sandbox.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(await (await page.request.get('./')).text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});

test('an array whose fields have the wrong types says what is wrong instead of breaking the page', async ({ browser, baseURL }) => {
  const database = freshDatabase('hostile-types');
  await createServerDatabase(database);
  const base = { portal_type: 'Data Array', reference: 'odd', modification_date: new Date().toISOString(), dtype: 'float32', pyramid: { base: 512, dtype: 'float32' } };
  await putServerDoc(database, { _id: 'odd-shape', ...base, title: 'Odd shape', shape: ['4000', '<b>1</b>'] });
  await putServerDoc(database, { _id: 'odd-text', ...base, title: { html: TITLE }, shape: [0], units: [X_UNIT], channel_labels: 5, sampling_rate: 'fast', process: '<i>done</i>' });
  const step = { name: '<b>decode</b>', status: 'done', started: '', result: { arrays: { html: TITLE } } };
  await putServerDoc(database, { _id: 'odd-stream', portal_type: 'Data Stream', title: TITLE, reference: 'odd', modification_date: '', process: [null, 'decode', step] });

  const device = await freshDevice(browser, baseURL!, database);
  await device.goto('./#/array/odd-shape');
  await expect(device.getByRole('alert')).toContainText('“odd-shape” is not a usable Data Array: its shape is ["4000","<b>1</b>"]');
  await device.goto('./#/array/odd-text');
  await expect(device.getByText('This array has no samples yet.')).toBeVisible();
  await expect(device.getByRole('heading', { level: 1 })).toHaveText('Data Array');
  await expectNothingRan(device);
  await device.goto('./#/stream/odd-stream');
  await expect(device.getByRole('listitem').filter({ hasText: '<b>decode</b>: done' })).toBeVisible();
  await expect(device.getByRole('heading', { name: 'Arrays' })).toHaveCount(0);
  await expectNothingRan(device);
  await device.context().close();
});
