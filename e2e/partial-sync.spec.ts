import { test, expect } from '@playwright/test';
import { couchFetch } from './support/couch';
import { freshDatabase, syncNow, tablet } from './support/tablets';

test('a tablet takes only the modules and documents it is set to from a server holding many; a bad query is refused', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const database = freshDatabase();
  await couchFetch(database, { method: 'PUT' });
  const docs = [
    ...Array.from({ length: 300 }, (_, index) => ({ _id: `survey-${index}`, portal_type: 'Notebook', title: `Survey ${index}`, experiment: index % 3 === 0 ? 'shot-42' : 'shot-7' })),
    ...Array.from({ length: 300 }, (_, index) => ({ _id: `plot-${index}`, portal_type: 'Image', title: `Plot ${index}` })),
  ];
  await couchFetch(`${database}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });

  // The first sync, started as the remote is added, does not get through (as on a poor link), so the choice below is
  // in place before anything arrives.
  const device = await tablet(browser, baseURL!, database, async (page) => {
    await page.route('**/_changes**', (route) => route.abort());
  });
  const { page } = device;
  const choice = page.getByRole('form', { name: 'What this device takes' });
  await page.getByText('What this device takes: everything').click();
  await choice.getByLabel('Only:').check();
  await choice.getByLabel('Notebooks').check();
  await choice.getByLabel('Matching').fill('experiment:="shot-42"');
  await choice.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('What this device takes: Notebooks, matching experiment:="shot-42"')).toBeVisible();
  await page.unroute('**/_changes**');
  await syncNow(device);
  expect(await countLocal(page, 'Notebook')).toBe(100);
  expect(await countLocal(page, 'Image')).toBe(0);
  await page.goto('./#/notebooks');
  await page.getByLabel('Search').fill('Survey 3');
  await expect(page.getByRole('link', { name: 'Survey 3', exact: true })).toBeVisible();

  // A bad query is refused with what is wrong, and nothing changes.
  await page.goto('./#/remotes'); // open: a choice is made
  await choice.getByLabel('Matching').fill('title:=(');
  await choice.getByRole('button', { name: 'Save' }).click();
  await expect(choice.getByRole('alert')).toContainText('Not saved');
  await device.context.close();
});

async function countLocal(page: import('@playwright/test').Page, portalType: string): Promise<number> {
  return page.evaluate(async (type) => {
    const open = indexedDB.open('fieldscope');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<Array<{ doc: { portal_type?: string } }>>((resolve, reject) => {
      const request = db.transaction('documents').objectStore('documents').getAll();
      request.onsuccess = () => resolve(request.result as Array<{ doc: { portal_type?: string } }>);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all.filter((record) => record.doc.portal_type === type).length;
  }, portalType);
}
