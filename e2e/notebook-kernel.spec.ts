import { test, expect } from '@playwright/test';
import { startUnplugged } from './support/unplugged-server';

test.describe('notebook cells run in a worker kernel', () => {
  test('runs cells, interrupts an endless loop, keeps outputs after a reload, never runs a payload on the app', async ({ page }) => {
    await page.goto('./#/notebooks');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await expect(page).toHaveURL(/#\/notebook\/[^/?]+$/);
    await page.addInitScript(() => ((window as { __pwned?: boolean }).__pwned = undefined));
    await page.getByLabel('Title', { exact: true }).fill('<img src=x onerror="window.__pwned=1">');

    await page.getByRole('button', { name: '+ Code' }).click();
    const first = page.getByLabel('Cell 1 source').locator('.cm-content');
    await first.click();
    await page.keyboard.type('let answer = 21; answer * 2');
    await page.keyboard.press('Shift+Enter');
    await expect(page.getByLabel('Cell 1 output')).toHaveText('42');
    // Shift+Enter moved on to a new cell; HTML output goes to a sandboxed iframe, not the page.
    await page.keyboard.type('display(html("<img src=x onerror=parent.__pwned=1>")); answer');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByLabel('Cell 2 output')).toContainText('21');
    await expect(page.locator('fs-notebook-cells iframe.html-output')).toHaveAttribute('sandbox', '');

    // By keyboard: a mouse click right after Playwright scrolls the button into view lands in the sandboxed HTML
    // output's iframe (Chromium hit-tests that out-of-process frame at its place before the scroll), not on the button.
    await page.getByRole('button', { name: '+ Code' }).press('Enter');
    await page.getByLabel('Cell 3 source').locator('.cm-content').click();
    await page.keyboard.type('while (true) {}');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('status', { name: 'Kernel' })).toHaveText('Kernel: busy');
    const asked = Date.now();
    await page.getByRole('button', { name: 'Interrupt' }).click();
    await expect(page.getByLabel('Cell 3 output')).toContainText('KernelInterrupted');
    expect(Date.now() - asked).toBeLessThan(1500);
    await expect(page.getByText('variables of earlier cells are gone')).toBeVisible();
    await page.getByLabel('Cell 1 source').locator('.cm-content').click();
    await page.keyboard.press('Control+Enter');
    await expect(page.getByLabel('Cell 1 output')).toHaveText('42');

    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await page.waitForTimeout(1000); // the cells' own save pause
    await page.reload();
    await expect(page.getByLabel('Cell 1 output')).toHaveText('42');
    await expect(page.getByLabel('Cell 3 output')).toContainText('KernelInterrupted');
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  test('runs offline', async ({ page, context }) => {
    const { unplug } = await startUnplugged(page, context, '#/notebooks');
    await unplug();
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.getByRole('button', { name: '+ Code' }).click();
    await page.getByLabel('Cell 1 source').locator('.cm-content').click();
    await page.keyboard.type('const s: string = "off" + "line"; s', { delay: 0 });
    await page.getByLabel('Language').selectOption('typescript');
    await page.getByRole('button', { name: 'Run cell' }).click();
    await expect(page.getByLabel('Cell 1 output')).toHaveText('offline');
    // Python was never loaded on this device: the cell says so and what to do, and the kernel goes on.
    await page.getByRole('button', { name: '+ Code' }).press('Enter');
    await page.getByLabel('Language').nth(1).selectOption('python');
    await page.getByLabel('Cell 2 source').locator('.cm-content').click();
    await page.keyboard.type('1 + 1', { delay: 0 });
    await page.keyboard.press('Control+Enter');
    await expect(page.getByLabel('Cell 2 output')).toContainText('PythonUnavailableError');
    await expect(page.getByLabel('Cell 2 output')).toContainText('the first time a Python cell runs while online');
    await page.getByLabel('Cell 1 source').locator('.cm-content').click();
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('status', { name: 'Kernel' })).toHaveText('Kernel: idle');
    await expect(page.getByLabel('Cell 1 output')).toHaveText('offline');
  });

  test('runs Python cells: the runtime is fetched by the first one, then kept for offline use', async ({ page, context }) => {
    test.setTimeout(120_000);
    const { unplug } = await startUnplugged(page, context, '#/notebooks');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.getByRole('button', { name: '+ Code' }).click();
    await page.getByLabel('Language').selectOption('python');
    await page.getByLabel('Cell 1 source').locator('.cm-content').click();
    await page.keyboard.type('import fieldscope; print("from python"); [x * 2.5 for x in range(3)]', { delay: 0 });
    await page.getByRole('button', { name: 'Run cell' }).click();
    const output = page.getByLabel('Cell 1 output');
    await expect(output).toContainText('from python', { timeout: 60_000 });
    await expect(output).toContainText('[0.0, 2.5, 5.0]');
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await page.waitForTimeout(1000); // the cells' own save pause

    await unplug();
    await expect(output).toContainText('[0.0, 2.5, 5.0]'); // as stored
    await page.getByRole('button', { name: '+ Code' }).press('Enter');
    await page.getByLabel('Language').nth(1).selectOption('python');
    await page.getByLabel('Cell 2 source').locator('.cm-content').click();
    await page.keyboard.type('sum([1.5, 2.5])', { delay: 0 });
    await page.keyboard.press('Control+Enter');
    const offline = page.getByLabel('Cell 2 output');
    await expect(offline).toHaveText('4.0', { timeout: 60_000 });
  });
});
