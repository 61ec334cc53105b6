import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../shared/error-report';
import { textField } from '../shared/doc-fields';
import { Gadget, sleep } from '../core';
import { moduleAt, type ModuleEntry } from '../shared/modules';
import { navigateKey, notifyKey, storageKey } from '../shared/keys';
import { formatHash } from '../shared/router';
import { documentListQuery } from '../../storage/query/document-query';
import { pageStyles } from '../shared/page-styles';
import './test-signal-form';
import type { AllDocsRow, SortOrder, Storage } from '../../storage';
import { followChanges } from '../shared/follow-changes';

/** How many rows a page shows at first, and how many more "Show more" adds. */
const PAGE_SIZE = 50;

const sorts: Record<string, { label: string; sortOn: [string, SortOrder][] }> = {
  recent: { label: 'Newest first', sortOn: [['modification_date', 'descending'], ['title', 'ascending']] },
  title: { label: 'Title A–Z', sortOn: [['title', 'ascending'], ['modification_date', 'descending']] },
};

type ListView =
  | { status: 'loading' }
  | { status: 'ready'; rows: AllDocsRow[]; more: boolean; portalType: string }
  | { status: 'failed'; message: string };

/**
 * A module's document list (Data Streams, Data Arrays, Images, Notebooks): search by words of the title or reference,
 * sort, page through. The search and sort live in the link (`#/arrays?q=pump&sort=title`), so a list can be shared
 * and back/forward restore it.
 */
export class DocumentListPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    view: { state: true },
    shown: { state: true },
  };

  declare params: Record<string, string>;
  declare view: ListView;
  /** Rows asked for: grows by PAGE_SIZE with "Show more". */
  declare shown: number;

  constructor() {
    super();
    this.params = {};
    this.view = { status: 'loading' };
    this.shown = PAGE_SIZE;
    // Documents arriving from sync, an import or another tab show up without a reload.
    this.service(followChanges(this, () => this.reload(), { debounceMs: 400 }));
  }

  private get module(): ModuleEntry | undefined {
    return moduleAt(this.params['module'] ?? '');
  }

  private get searchText(): string {
    return this.params['q'] ?? '';
  }

  private get sortKey(): string {
    const sort = this.params['sort'] ?? 'recent';
    return sort in sorts ? sort : 'recent';
  }

  /** Reads one page of the list; a newer call (typing, sorting, "Show more") aborts the previous read. */
  private readonly load = this.job(
    async (signal, portalType: string, searchText: string, sortKey: string, count: number): Promise<ListView> => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const result = await storage.allDocs({
          query: documentListQuery(portalType, searchText),
          sort_on: sorts[sortKey]?.sortOn ?? [],
          select_list: ['title', 'reference', 'modification_date'],
          limit: [0, count + 1], // one more than shown tells whether "Show more" has anything to show
          signal,
        });
        return { status: 'ready', rows: result.rows.slice(0, count), more: result.rows.length > count, portalType };
      } catch (error) {
        if (signal.aborted) throw error;
        return { status: 'failed', message: messageOf(error) };
      }
    },
    (view) => (this.view = view),
  );

  /** Typing waits for a pause before the link (and so the list) changes; a new keystroke restarts the wait. */
  private readonly search = this.job(async (signal, text: string) => {
    await sleep(250, signal);
    await this.acquireWith({ signal }, navigateKey, this.link({ q: text }), { replace: true });
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params')) this.shown = PAGE_SIZE;
    if (changed.has('params') || changed.has('shown')) this.reload();
  }

  private reload(): void {
    const module = this.module;
    if (!module?.list) return;
    // A search or "Show more" keeps the rows shown while it reads; another module's rows never stay on screen as this
    // module's (they would link to the wrong page until the read ends).
    if (this.view.status !== 'ready' || this.view.portalType !== module.list.portalType) this.view = { status: 'loading' };
    void this.load(module.list.portalType, this.searchText, this.sortKey, this.shown);
  }

  /** This list's link with some parameters changed (empty ones dropped). */
  private link(changes: Record<string, string>): string {
    const params: Record<string, string> = { q: this.searchText, sort: this.sortKey, ...changes };
    if (params['sort'] === 'recent') delete params['sort'];
    for (const key of Object.keys(params)) if (params[key] === '') delete params[key];
    return formatHash(this.module?.path ?? '', params);
  }

  override render() {
    const module = this.module;
    if (!module?.list) return html`<p class="error">There is no list called “${this.params['module'] ?? ''}”.</p>`;
    return html`
      <h2>${module.label}</h2>
      <form class="controls" role="search" @submit=${(event: Event) => event.preventDefault()}>
        <label>
          <span>Search</span>
          <input
            type="search"
            name="q"
            placeholder="Words of the title or reference"
            .value=${this.searchText}
            @input=${(event: InputEvent) => void this.search((event.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          <span>Sort</span>
          <select
            name="sort"
            @change=${(event: Event) => void this.acquire(navigateKey, this.link({ sort: (event.target as HTMLSelectElement).value }), { replace: true })}
          >
            ${Object.entries(sorts).map(([key, sort]) => html`<option value=${key} ?selected=${key === this.sortKey}>${sort.label}</option>`)}
          </select>
        </label>
      </form>
      ${module.path === 'streams' || module.path === 'arrays'
        ? html`<p class="sources"><a class="button" href="#/import">Import files</a> <a class="button" href="#/record">Record</a></p>`
        : nothing}
      ${module.path === 'arrays' ? html`<fs-test-signal-form></fs-test-signal-form>` : nothing}
      ${this.renderMakers(module)}
      ${this.renderView(module)}
    `;
  }

  /** The ways to make a document of this type: empty, from a picked file, from a shipped example. */
  private renderMakers(module: ModuleEntry) {
    const { createLabel, fileImport, examples = [] } = module.list!;
    if (!createLabel && !fileImport && examples.length === 0) return nothing;
    return html`<p class="makers">
      ${createLabel ? html`<button class="create" @click=${() => void this.create(module)}>${createLabel}</button>` : nothing}
      ${fileImport
        ? html`<label class="button file-import">
            ${fileImport.label}
            <input type="file" accept=${fileImport.accept} @change=${(event: Event) => void this.importFile(module, event.target as HTMLInputElement)} />
          </label>`
        : nothing}
      ${examples.map((example) => html`<button @click=${() => void this.make(module, async (storage) => (await example.open())(storage))}>${example.label}</button>`)}
    </p>`;
  }

  private async importFile(module: ModuleEntry, input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = ''; // the same file can be picked again after a fix
    const fileImport = module.list?.fileImport;
    if (!file || !fileImport) return;
    await this.make(module, async (storage) => (await fileImport.importer())(storage, file), `“${file.name}” was not imported`);
  }

  /** Makes a document with `making` and opens it; a failure is told, and nothing is half-made by the list itself. */
  private async make(module: ModuleEntry, making: (storage: Storage) => Promise<string>, failure = 'Could not make it'): Promise<void> {
    try {
      const id = await making(await this.acquire(storageKey));
      await this.acquire(navigateKey, formatHash(module.list!.itemPattern, { id }));
    } catch (error) {
      void this.acquire(notifyKey, `${failure}: ${messageOf(error)}`, 'error');
    }
  }

  /** Creates an empty document of the module's type and opens it. */
  private create(module: ModuleEntry): Promise<void> {
    const list = module.list!;
    const now = new Date().toISOString();
    return this.make(module, (storage) => storage.post({ portal_type: list.portalType, title: `Untitled ${list.noun.replace(/s$/, '')}`, reference: `${module.path}-${now}`, modification_date: now }), 'Could not create it');
  }


  private renderView(module: ModuleEntry) {
    const list = module.list!;
    const view = this.view;
    if (view.status === 'loading') return html`<p class="hint" role="status">Loading ${list.noun}…</p>`;
    if (view.status === 'failed') {
      return html`<div class="error" role="alert">
        <p>The ${list.noun} could not be listed: ${view.message}</p>
        <button @click=${() => this.reload()}>Try again</button>
      </div>`;
    }
    if (view.rows.length === 0) {
      return this.searchText
        ? html`<p class="hint" role="status">No ${list.noun} match “${this.searchText}”.</p>`
        : html`<p class="hint" role="status">No ${list.noun} yet. ${list.emptyHint}</p>`;
    }
    return html`
      <ul class="documents" aria-label=${module.label}>
        ${view.rows.map((row) => this.renderRow(row, list.itemPattern))}
      </ul>
      ${view.more ? html`<button class="more" @click=${() => (this.shown += PAGE_SIZE)}>Show more</button>` : nothing}
    `;
  }

  private renderRow(row: AllDocsRow, itemPattern: string) {
    const title = textField(row.value, 'title') || textField(row.value, 'reference') || row.id;
    const reference = textField(row.value, 'reference');
    const modified = textField(row.value, 'modification_date');
    return html`<li>
      <a href=${formatHash(itemPattern, { id: row.id })}>
        <span class="title">${title}</span>
        <span class="meta">
          ${reference && reference !== title ? html`<span>${reference}</span>` : nothing}
          ${modified ? html`<time datetime=${modified}>${formatDate(modified)}</time>` : nothing}
        </span>
      </a>
    </li>`;
  }

  static override styles = [
    pageStyles,
    css`
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-bottom: 1rem;
      }
      .controls label:first-child {
        flex: 1 1 16rem;
      }
      .makers {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .documents {
        list-style: none;
        margin: 0 0 1rem;
        padding: 0;
        border-top: 1px solid var(--border, #c9d6da);
      }
      .documents a {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25rem 1rem;
        min-height: 44px;
        padding: 0.6rem 0.5rem;
        border-bottom: 1px solid var(--border, #c9d6da);
        color: inherit;
        text-decoration: none;
      }
      .documents a:hover,
      .documents a:focus-visible {
        background: color-mix(in srgb, var(--accent, #0f5c6e) 8%, transparent);
      }
      .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        gap: 1rem;
        color: var(--muted, #4a5f66);
        font-size: 0.9rem;
      }
    `,
  ];
}


function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

customElements.define('fs-document-list-page', DocumentListPage);
