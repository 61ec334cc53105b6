import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const heading = (page: Page) => page.locator('fs-app header h1');

test.describe('app shell', () => {
  test('front page lists every module, even while empty', async ({ page }) => {
    await page.goto('./');
    await expect(heading(page)).toHaveText('Fieldscope');
    for (const name of ['Data Streams', 'Data Arrays', 'Images', 'Notebooks', 'Remotes', 'Settings']) {
      await expect(page.locator('fs-front-page .modules').getByRole('link', { name: new RegExp(name) })).toBeVisible();
    }
  });

  test('a deep link opened directly shows its page, and back/forward move between pages', async ({ page }) => {
    await page.goto('./#/settings');
    await expect(heading(page)).toHaveText('Settings');
    await expect(page).toHaveTitle('Settings · Fieldscope');
    await page.locator('fs-app nav').getByRole('link', { name: 'Home' }).click();
    await expect(heading(page)).toHaveText('Fieldscope');
    await page.goBack();
    await expect(heading(page)).toHaveText('Settings');
    await page.goForward();
    await expect(heading(page)).toHaveText('Fieldscope');
  });

  test('an unknown route shows a not-found page with a way back', async ({ page }) => {
    await page.goto('./#/no/such/page');
    await expect(heading(page)).toHaveText('Page not found');
    await expect(page.getByText('#/no/such/page')).toBeVisible();
    await page.getByRole('link', { name: 'Go to the front page' }).click();
    await expect(heading(page)).toHaveText('Fieldscope');
  });

  test('a damaged link says so instead of failing', async ({ page }) => {
    await page.goto('./#/settings/%E0%A4%A');
    await expect(heading(page)).toHaveText('Bad link');
    await expect(page.getByText(/link is damaged/)).toBeVisible();
  });

  test('an uncaught error appears in the error panel and can be dismissed', async ({ page }) => {
    await page.goto('./');
    await expect(heading(page)).toHaveText('Fieldscope');
    await page.evaluate(() => setTimeout(() => { throw new RangeError('sensor value out of range'); }));
    const panel = page.getByRole('alert', { name: 'Errors' });
    await expect(panel).toContainText('RangeError: sensor value out of range');
    await panel.getByRole('button', { name: 'Dismiss all' }).click();
    await expect(panel).toHaveCount(0);
  });

  test('settings: "leave heavy steps to the server" is kept for the chain across reloads', async ({ page }) => {
    await page.goto('./#/settings');
    const box = page.getByRole('checkbox', { name: 'Leave heavy steps to the server' });
    await expect(box).toBeEnabled();
    await expect(box).not.toBeChecked();
    await box.check();
    // Read back from the chain's own IndexedDB database (where its worker reads it) after a reload.
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'Leave heavy steps to the server' })).toBeChecked();
    await page.getByRole('checkbox', { name: 'Leave heavy steps to the server' }).uncheck();
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'Leave heavy steps to the server' })).not.toBeChecked();
  });

  test('settings shows storage usage and the persistence state', async ({ page }) => {
    await page.goto('./#/settings');
    await expect(page.getByText(/Used .* of .* available to Fieldscope/)).toBeVisible();
    // Chromium has OPFS sync access handles: array bytes go there, and the page says so.
    await expect(page.locator('[data-bytes-store="opfs"]')).toContainText("private file system (OPFS)");
    // The app asked for persistence at start; the answer is shown, and a refusal comes with a warning and a way to retry.
    const answer = page.locator('[data-persistence="persisted"], [data-persistence="refused"]');
    await expect(answer).toHaveCount(1);
    if ((await answer.getAttribute('data-persistence')) === 'refused') {
      await expect(answer).toHaveAttribute('role', 'alert');
      await expect(answer).toContainText('did not agree to keep');
      await expect(answer.getByRole('button', { name: 'Ask again' })).toBeVisible();
    }
  });
});

test.describe('accessibility', () => {
  for (const [name, path] of [['front page', './'], ['settings page', './#/settings'], ['record page', './#/record'], ['remotes page', './#/remotes']] as const) {
    test(`axe finds no serious or critical violations on the ${name}`, async ({ page }) => {
      await page.goto(path);
      await expect(heading(page)).not.toHaveText('');
      await page.locator('fs-app main > *').first().waitFor();
      const results = await new AxeBuilder({ page }).analyze();
      const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    });
  }
});

test.describe('responsive layout', () => {
  const viewports = [
    { name: 'tablet landscape', width: 1024, height: 768 },
    { name: 'tablet portrait', width: 768, height: 1024 },
    { name: 'phone', width: 390, height: 844 },
  ];
  for (const viewport of viewports) {
    test(`${viewport.name} ${viewport.width}×${viewport.height}: no horizontal overflow, navigation reachable`, async ({ page }) => {
      await page.setViewportSize(viewport);
      for (const path of ['./', './#/settings']) {
        await page.goto(path);
        await page.locator('fs-app main > *').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBe(0);
      }
      const nav = page.locator('fs-app nav');
      if (viewport.width < 900) {
        await expect(nav).toBeHidden();
        await page.getByRole('button', { name: 'Menu' }).click();
      }
      await expect(nav.getByRole('link', { name: 'Settings' })).toBeVisible();
      const box = await nav.getByRole('link', { name: 'Settings' }).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44); // touch target
    });
  }
});
