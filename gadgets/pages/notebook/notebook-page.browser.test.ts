import { afterEach, describe, expect, it } from 'vitest';
import { html } from 'lit';
import { Gadget } from '../../core';
import { define, until } from '../../core/test-helpers';
import { pageTitleKey, storageKey } from '../../shared/keys';
import { createLocalStorage, type Storage } from '../../../storage';
import { WriteMeanwhile } from '../../../storage/testing/write-meanwhile';
import './notebook-page';
import type { NotebookPage } from './notebook-page';

/** Stands in for the app shell: provides the storage and takes the page title. */
class PageRoot extends Gadget {
  storage: Storage | undefined;
  constructor() {
    super();
    this.provide(storageKey, () => {
      if (!this.storage) throw new Error('no storage yet');
      return this.storage;
    });
    this.provide(pageTitleKey, () => undefined);
  }
  override render() {
    return html`<slot></slot>`;
  }
}
const rootTag = define(PageRoot, 'test-page-root');

let databases = 0;
const freshName = () => `notebook-test-${Date.now()}-${++databases}`;

const mounted: Element[] = [];
afterEach(() => {
  for (const element of mounted.splice(0)) element.remove();
});

async function openNotebook(storage: Storage, id: string): Promise<NotebookPage> {
  const root = document.createElement(rootTag) as PageRoot;
  root.storage = storage;
  const page = document.createElement('fs-notebook-page') as NotebookPage;
  page.params = { id };
  root.append(page);
  document.body.append(root);
  mounted.push(root);
  await until(() => field(page, 'text') !== undefined);
  return page;
}

function field(page: NotebookPage, name: string): HTMLInputElement | HTMLTextAreaElement | undefined {
  return page.shadowRoot?.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`) ?? undefined;
}

function type(page: NotebookPage, name: 'title' | 'text', value: string): void {
  const input = field(page, name)!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const status = (page: NotebookPage) => page.shadowRoot?.querySelector('[role="status"]')?.textContent?.trim() ?? '';
const notebook = { portal_type: 'Notebook', title: 'Site visit', text: 'Pump 3 runs.', reference: 'n', modification_date: '2026-01-01' };

describe('notebook page while the notebook changes underneath', () => {
  it('follows a change made elsewhere while the user is not typing', async () => {
    const name = freshName();
    const storage = createLocalStorage(name);
    await storage.put('n', notebook);
    const page = await openNotebook(storage, 'n');
    // Another tab (its own storage object on the same database) renames it and adds a line.
    await createLocalStorage(name).update('n', (current) => ({ ...current, title: 'Site visit, north', text: 'Pump 3 runs.\nValve 2 leaks.' }));
    await until(() => field(page, 'text')?.value === 'Pump 3 runs.\nValve 2 leaks.');
    expect(field(page, 'title')?.value).toBe('Site visit, north');
  });

  it('merges field by field: a title changed elsewhere while the user types the notes keeps both', async () => {
    const name = freshName();
    const storage = createLocalStorage(name);
    await storage.put('n', notebook);
    const page = await openNotebook(storage, 'n');
    type(page, 'text', 'Pump 3 runs. Bearing noise.');
    await createLocalStorage(name).update('n', (current) => ({ ...current, title: 'Site visit, north' }));
    await until(() => field(page, 'title')?.value === 'Site visit, north');
    await until(() => status(page) === 'Saved');
    expect(await storage.get('n')).toMatchObject({ title: 'Site visit, north', text: 'Pump 3 runs. Bearing noise.' });
    expect(page.shadowRoot?.querySelector('[role="alert"]')).toBeNull(); // nothing to tell: no field changed on both sides
  });

  it('never saves a stale copy: a sync landing as the page saves keeps its other fields, and the user’s text wins with a notice', async () => {
    const storage = new WriteMeanwhile(createLocalStorage(freshName()));
    await storage.put('n', notebook);
    const page = await openNotebook(storage, 'n');
    // A sync writes another device's version just as this page's save arrives.
    storage.arm('n', (sub) => sub.update('n', (current) => ({ ...current, title: 'Site visit, north', text: 'Pump 3 replaced.' })));
    type(page, 'text', 'Pump 3 runs. Bearing noise.');
    await until(() => storage.done && status(page) === 'Saved');
    expect(await storage.get('n')).toMatchObject({ title: 'Site visit, north', text: 'Pump 3 runs. Bearing noise.' });
    await until(() => field(page, 'title')?.value === 'Site visit, north');
    expect(field(page, 'text')?.value).toBe('Pump 3 runs. Bearing noise.');
    const notice = page.shadowRoot?.querySelector('[role="alert"]');
    expect(notice?.textContent).toContain('changed somewhere else while you were typing');
    expect(notice?.textContent).toContain('copy what you need from it');
    expect(field(page, 'theirs-text')?.value).toBe('Pump 3 replaced.');
    expect(field(page, 'theirs-title')).toBeUndefined(); // the title was not edited here: simply theirs
    notice!.querySelector('button')!.click();
    await until(() => page.shadowRoot?.querySelector('[role="alert"]') === null);
  });
});
