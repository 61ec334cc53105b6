import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { startOffline } from './support/go-offline';
import { freshDatabase, syncNow, tablet, type Tablet } from './support/tablets';

async function openSnippet(page: Page, title: string): Promise<void> {
  await page.goto('./#/snippets');
  await page.getByRole('list', { name: 'Snippets' }).getByText(title, { exact: true }).click();
  await expect(page.locator('fs-app header h1')).toHaveText(title);
}

const BIB = String.raw`@article{welch1967,
  author = {Welch, Peter D.}, title = {The Use of Fast Fourier Transform for the Estimation of Power Spectra},
  journal = {IEEE Trans. Audio Electroacoust.}, year = 1967, volume = {15}, pages = {70--73}
}
@book{oppenheim2009, author = {Oppenheim, Alan V. and Schafer, Ronald W.}, title = {Discrete-Time Signal Processing}, year = {2009}}
@inproceedings{cooley1965, author = {Cooley, James W. and Tukey, John W.}, title = {An Algorithm for the Machine Calculation of Complex Fourier Series}, year = {1965}}
`;

async function importBib(page: Page, name: string, text: string): Promise<void> {
  await page.locator('fs-bibliography-page input[type=file]').setInputFiles({ name, mimeType: 'text/x-bibtex', buffer: Buffer.from(text) });
}

test.describe('the snippet library', () => {
  test('search by tag (suggested, browsed by level), run, fork, edit, restore, insert into a notebook', async ({ page }) => {
    await page.goto('./#/snippets');
    const list = page.getByRole('list', { name: 'Snippets' });
    await expect(list.getByRole('link')).toHaveCount(4);

    // A tag typed in part is suggested from the tags in use; choosing it narrows the list to it and the tags below it.
    await page.getByLabel('Tag', { exact: true }).fill('filt');
    await page.getByRole('list', { name: 'Tag suggestions' }).getByRole('button', { name: 'signal/filter', exact: true }).click();
    await expect(page).toHaveURL(/tag=signal%2Ffilter/);
    await expect(list.getByRole('link')).toHaveCount(1);
    await expect(list).toContainText('Band-pass filter');
    // Browsing: up to `signal` (three shipped snippets under it), down again by the tree's links.
    const tags = page.getByRole('navigation', { name: 'Tags' });
    await tags.getByRole('link', { name: 'signal', exact: true }).click();
    await expect(list.getByRole('link')).toHaveCount(3);
    await tags.getByRole('link', { name: /^spectrum/ }).click();
    await expect(list.getByRole('link')).toHaveCount(1);
    await expect(list).toContainText('Peak finding');
    // Words anywhere, code included.
    await page.goto('./#/snippets');
    await page.getByLabel('Search').fill('biquad');
    await expect(page).toHaveURL(/q=biquad/);
    await expect(list.getByRole('link')).toHaveCount(1);

    // Run: in a kernel, outputs under the toolbar.
    await openSnippet(page, 'RMS per window');
    await expect(page.locator('fs-code-editor .cm-content').first()).toContainText('windowSeconds');
    await expect(page.locator('fs-code-editor .cm-content').first()).toHaveAttribute('contenteditable', 'false');
    await page.getByRole('button', { name: '▶ Run' }).click();
    const output = page.getByRole('region', { name: 'Run output' });
    await expect(output).toContainText('windows of 500 samples of test signal');
    await expect(output.locator('.error-output')).toHaveCount(0);
    const permalink = await page.locator('.permalink a').getAttribute('href');
    expect(permalink).toMatch(/#\/snippet\/snippet-builtin-rms-window$/);

    // Fork: a copy that records where it came from, opened for editing; saving makes a second version.
    await page.getByRole('button', { name: 'Fork' }).click();
    await expect(page.getByLabel('Title')).toHaveValue('RMS per window (fork)');
    await page.getByLabel('Title').fill('RMS per second');
    await page.getByLabel('Tags (separated by commas; parts by /, e.g. signal/filter)').fill('signal/statistics/rms, mine');
    await page.getByRole('button', { name: 'Save version' }).click();
    await expect(page.locator('fs-app header h1')).toHaveText('RMS per second');
    await expect(page.getByText('forked from')).toContainText('RMS per window');
    const history = page.getByRole('list', { name: 'History' });
    await expect(history.getByRole('listitem')).toHaveCount(2);
    await expect(history.getByRole('listitem').first()).toContainText('RMS per second');
    // Restore the first version: a third version, with the old title.
    await history.getByRole('button', { name: /^Restore/ }).click();
    await expect(history.getByRole('listitem')).toHaveCount(3);
    await expect(page.locator('fs-app header h1')).toHaveText('RMS per window (fork)');
    const forkUrl = page.url();

    // The original lists its fork.
    await openSnippet(page, 'RMS per window');
    await expect(page.getByRole('list', { name: 'Forks' })).toContainText('RMS per window (fork)');

    // Insert into an existing notebook: a code cell after its cells, which runs there.
    await page.goto('./#/notebooks');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Pump 3');
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await page.goto(forkUrl);
    await page.getByLabel('Notebook to insert into').selectOption({ label: 'Pump 3' });
    await page.getByRole('button', { name: 'Insert into notebook' }).click();
    await expect(page.locator('fs-app header h1')).toHaveText('Pump 3');
    await expect(page.getByRole('textbox', { name: 'Cell 1 source' })).toContainText('windowSeconds');
    await page.getByRole('button', { name: 'Run cell' }).click();
    await expect(page.getByLabel('Cell 1 output')).toContainText('windows of');

    // Used snippets come first in "most used" order.
    await page.goto('./#/snippets?sort=used');
    await expect(list.getByRole('link').first()).toContainText('RMS per window');
  });

  test('the snippets work offline: list, search, run', async ({ page, context }) => {
    await startOffline(page, context, '#/snippets');
    await expect(page.locator('fs-app header h1')).toHaveText('Snippets');
    await page.getByLabel('Search').fill('peaks');
    await expect(page).toHaveURL(/q=peaks/);
    await page.getByRole('list', { name: 'Snippets' }).getByRole('link', { name: /Peak finding/ }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect(page.getByRole('region', { name: 'Run output' })).toContainText('hz: 50');
    await expect(page.getByRole('region', { name: 'Run output' }).locator('.error-output')).toHaveCount(0);
  });
});

test.describe('the bibliography', () => {
  test('imports a .bib (a bad one: nothing, and why), searches, sorts, adds by hand, exports a selection', async ({ page }) => {
    await page.goto('./#/bibliography');
    await expect(page.getByText('No references yet.')).toBeVisible();
    const list = page.getByRole('list', { name: 'References' });

    // A bad file: told what is wrong, nothing of it imported (its first entry was fine).
    await importBib(page, 'broken.bib', '@misc{fine, title={Fine}}\n@article{broken, title = {no end');
    await expect(page.getByRole('alert')).toContainText('“broken.bib” was not imported');
    await expect(page.getByRole('alert')).toContainText('Unterminated brace-value');
    await expect(page.getByText('No references yet.')).toBeVisible();

    await importBib(page, 'dsp.bib', BIB);
    await expect(list.getByRole('listitem')).toHaveCount(3);
    await expect(page.getByRole('alert')).toHaveCount(0);
    // By author (default), by year.
    await expect(list.locator('.key')).toHaveText(['cooley1965', 'oppenheim2009', 'welch1967']);
    await page.getByLabel('Sort').selectOption('year-descending');
    await expect(list.locator('.key')).toHaveText(['oppenheim2009', 'welch1967', 'cooley1965']);
    await page.getByLabel('Search').fill('fourier');
    await expect(list.locator('.key')).toHaveText(['welch1967', 'cooley1965']);

    // Export the ticked ones only.
    await list.getByLabel('Select cooley1965').check();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export selection (1) as .bib' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('selection.bib');
    const text = await readFile(await file.path(), 'utf8');
    expect(text).toMatch(/^@inproceedings\{cooley1965,\n  author = \{Cooley, James W\. and Tukey, John W\.\},/);
    expect(text).not.toContain('welch1967');

    // By hand.
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Add by hand' }).click();
    const form = page.getByRole('form', { name: 'New reference' });
    await form.getByLabel('Citation key').fill('pump2026');
    await form.getByLabel('Title').fill('Pump station noise survey');
    await form.getByLabel('Authors (one a line, “Family, Given”)').fill('Doe, Jane');
    await form.getByLabel('Year').fill('2026');
    await form.getByRole('button', { name: 'Add reference' }).click();
    await expect(page.locator('fs-app header h1')).toHaveText('Pump station noise survey');
    await expect(page.locator('pre.bibtex')).toContainText('@article{pump2026,');

    // Cited from a markdown cell: a known key links to its reference, an unknown one shows as unknown.
    await page.goto('./#/notebooks');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.getByRole('button', { name: '+ Markdown' }).click();
    await page.getByRole('textbox', { name: 'Cell 1 source' }).click();
    await page.keyboard.type('Spectra as in [@welch1967] and \\citep[nobody2020].');
    await page.getByRole('button', { name: 'Run cell' }).click();
    const cell = page.locator('fs-notebook-cells div.markdown');
    const cited = cell.locator('a.citation');
    await expect(cited).toHaveText('Welch 1967');
    await expect(cited).toHaveAttribute('title', 'The Use of Fast Fourier Transform for the Estimation of Power Spectra — Peter D. Welch — 1967');
    await expect(cell.locator('.citation.unknown')).toHaveText('[?nobody2020]');
    await expect(cell).toContainText('Spectra as in (Welch 1967) and ([?nobody2020]).');
    await cited.click();
    await expect(page.locator('fs-app header h1')).toHaveText('The Use of Fast Fourier Transform for the Estimation of Power Spectra');

    // A PDF attached to it, kept like an array's data; a file that is not a PDF is refused.
    const pdfInput = page.locator('fs-reference-page input[type=file]');
    await pdfInput.setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
    await expect(page.getByText('“notes.pdf” is not a PDF')).toBeVisible();
    await pdfInput.setInputFiles({ name: 'welch.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') });
    await expect(page.locator('fs-reference-page .pdf')).toContainText('welch.pdf');
    await expect(page.locator('fs-reference-page fs-keep-offline')).toContainText('On this device');
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Open PDF' }).click();
    expect((await popup).url()).toMatch(/^blob:/);
  });
});

test.describe('a snippet on two tablets', () => {
  async function editTitle({ page }: Tablet, url: string, title: string): Promise<void> {
    await page.goto(url);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Save version' }).click();
    await expect(page.locator('fs-app header h1')).toHaveText(title);
  }

  test('edited on both offline, both versions are kept after sync (merged, not a conflict)', async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    const database = freshDatabase();
    const a = await tablet(browser, baseURL!, database);
    const b = await tablet(browser, baseURL!, database);
    await a.page.goto('./#/snippets');
    await a.page.getByRole('button', { name: 'New snippet' }).click();
    await a.page.getByLabel('Title').fill('Shared gain');
    await a.page.getByRole('button', { name: 'Save version' }).click();
    await expect(a.page.locator('fs-app header h1')).toHaveText('Shared gain');
    const url = a.page.url().replace(/^.*#/, './#');
    await syncNow(a);
    await syncNow(b);
    // B opens it once online: its page's code is then in the browser (this test's tablets run without a service worker).
    await b.page.goto(url);
    await expect(b.page.locator('fs-app header h1')).toHaveText('Shared gain');

    await a.context.setOffline(true);
    await b.context.setOffline(true);
    await editTitle(a, url, 'Gain by A');
    await editTitle(b, url, 'Gain by B');
    await a.context.setOffline(false);
    await b.context.setOffline(false);
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    await expect(a.page.locator('fs-sync-status a')).not.toContainText(/conflict/i);
    // Which tablet merged depends on which synced last (sync also runs by itself when online): that one's edit is shown,
    // the other is named. Both tablets agree.
    await a.page.goto(url);
    const heading = a.page.locator('fs-app header h1');
    await expect(heading).toHaveText(/^Gain by [AB]$/);
    const shown = (await heading.textContent())!.trim();
    const other = shown === 'Gain by A' ? 'Gain by B' : 'Gain by A';
    for (const { page } of [a, b]) {
      await page.goto(url);
      await expect(page.locator('fs-app header h1')).toHaveText(shown);
      await expect(page.getByRole('note').filter({ hasText: 'edited on two devices' })).toContainText(other);
      await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(4);
    }
    // Taking the other edit: one history again, on both.
    await a.page.getByRole('button', { name: 'Use this one' }).click();
    await expect(a.page.locator('fs-app header h1')).toHaveText(other);
    await syncNow(a);
    await syncNow(b);
    await b.page.goto(url);
    await expect(b.page.locator('fs-app header h1')).toHaveText(other);
    await expect(b.page.getByRole('note').filter({ hasText: 'edited on two devices' })).toHaveCount(0);
    await expect(b.page.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(5);
    await a.context.close();
    await b.context.close();
  });
});

test.describe('library pages: accessible, and fit a phone', () => {
  for (const [name, path] of [['snippets', './#/snippets'], ['snippet', './#/snippet/snippet-builtin-band-pass'], ['bibliography', './#/bibliography']] as const) {
    test(`the ${name} page: no serious axe violations; no horizontal overflow at 390 px`, async ({ page }) => {
      await page.goto(path);
      await page.locator('fs-app main > *').first().waitFor();
      await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
      const results = await new AxeBuilder({ page }).analyze();
      const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    });
  }
});
