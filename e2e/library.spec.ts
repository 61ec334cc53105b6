import { test, expect, type Page } from '@playwright/test';
import { startOffline } from './support/go-offline';

async function openSnippet(page: Page, title: string): Promise<void> {
  await page.goto('./#/snippets');
  await page.getByRole('list', { name: 'Snippets' }).getByText(title, { exact: true }).click();
  await expect(page.locator('fs-app header h1')).toHaveText(title);
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
    await page.getByRole('list', { name: 'Snippets' }).getByRole('link', { name: /Peak finding/ }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect(page.getByRole('region', { name: 'Run output' })).toContainText('hz: 50');
    await expect(page.getByRole('region', { name: 'Run output' }).locator('.error-output')).toHaveCount(0);
  });
});
