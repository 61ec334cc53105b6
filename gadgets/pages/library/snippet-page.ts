import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../../shared/error-report';
import { Gadget } from '../../core';
import { navigateKey, notifyKey, pageTitleKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import {
  addBuiltinSnippets,
  BUILTIN_SNIPPETS,
  editSnippet,
  forkSnippet,
  forksOf,
  getSnippet,
  insertSnippet,
  notebookOfSnippet,
  recordSnippetUse,
  restoreVersion,
  updateSnippet,
  type SnippetContent,
  type SnippetDocument,
  type SnippetVersion,
} from '../../../compute/library';
import type { Storage } from '../../../storage';
import { authorshipNow } from './snippet-author';
import { confirmAndDelete } from '../../shared/delete-document';
import { downloadFile } from '../../shared/download-file';
import { pageStyles } from '../../shared/page-styles';
import type { SnippetRun } from './snippet-run';
import '../../shared/code-editor';
import '../../shared/doc-link';
import './snippet-editor';
import './snippet-run';
import { followChanges } from '../../shared/follow-changes';
import { cannotOpen } from '../../shared/cannot-open';

type Loaded = { snippet: SnippetDocument; forks: Array<{ id: string; snippet: SnippetDocument }>; notebooks: Array<{ id: string; title: string }> };

const SHIPPED = new Set(BUILTIN_SNIPPETS.map(([id]) => id));

/** The choice in "Insert into" that makes a new notebook. */
const NEW_NOTEBOOK = '';

/**
 * A snippet (`#/snippet/<id>`, its permalink): highlighted code (read-only), Run in a kernel, Fork, Insert into a
 * notebook as a code cell, download each file, edit as a new version, and its history (any version shown and restorable)
 * and forks. `?version=<v>` shows one version of its history. The page follows the document (another tab, a sync).
 */
export class SnippetPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    loaded: { state: true },
    loadError: { state: true },
    editing: { state: true },
    target: { state: true },
  };

  declare params: Record<string, string>;
  declare loaded: Loaded | undefined;
  declare loadError: string | undefined;
  declare editing: boolean;
  /** The notebook "Insert" writes into ('' for a new one). */
  declare target: string;

  constructor() {
    super();
    this.params = {};
    this.loaded = undefined;
    this.loadError = undefined;
    this.editing = false;
    this.target = NEW_NOTEBOOK;
    this.service(followChanges(this, () => void this.load(this.docId), { pick: (change) => change.id === this.docId || this.loaded?.forks.some((fork) => fork.id === change.id) === true }));
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(
    async (signal, id: string) => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        await addBuiltinSnippets(storage, { signal }); // a permalink to a shipped snippet works on a first visit too
        const snippet = await getSnippet(storage, id, { signal });
        const forks = await forksOf(storage, id, { signal });
        const { rows } = await storage.allDocs({ query: 'portal_type:="Notebook"', select_list: ['title'], sort_on: [['modification_date', 'descending']], signal });
        const notebooks = rows.map((row) => ({ id: row.id, title: typeof row.value['title'] === 'string' && row.value['title'] ? row.value['title'] : row.id }));
        return { loaded: { snippet, forks, notebooks } };
      } catch (error) {
        if (signal.aborted) throw error;
        return { error: messageOf(error) };
      }
    },
    (result) => {
      this.loaded = result.loaded;
      this.loadError = result.error;
      if (result.loaded) void this.acquire(pageTitleKey, result.loaded.snippet.title || 'Snippet');
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) {
      this.loaded = undefined;
      this.loadError = undefined;
      this.editing = this.params['edit'] === '1';
      void this.load(this.docId);
    }
  }

  /** The version shown: the one named in the link, else the current one. */
  private shown(snippet: SnippetDocument): SnippetVersion | SnippetDocument {
    const asked = this.params['version'];
    return (asked && snippet.versions.find((version) => version.version === asked)) || snippet;
  }

  private async storage(): Promise<Storage> {
    return this.acquire(storageKey);
  }

  private async act(what: string, action: (storage: Storage) => Promise<void>): Promise<void> {
    try {
      await action(await this.storage());
    } catch (error) {
      void this.acquire(notifyKey, `${what}: ${messageOf(error)}`, 'error');
    }
  }

  private used(): void {
    recordSnippetUse(localStorage, this.docId);
  }

  private run(): void {
    const snippet = this.loaded?.snippet;
    if (!snippet) return;
    const shown = this.shown(snippet);
    this.used();
    void this.renderRoot.querySelector<SnippetRun>('fs-snippet-run')?.run(shown.files[0]?.content ?? '', shown.language);
  }

  private fork(snippet: SnippetDocument): Promise<void> {
    return this.act('Could not fork it', async (storage) => {
      const id = crypto.randomUUID();
      await storage.put(id, forkSnippet(this.docId, snippet, authorshipNow()));
      await this.acquire(navigateKey, formatHash('snippet/:id', { id, edit: '1' }));
    });
  }

  private insert(snippet: SnippetDocument): Promise<void> {
    return this.act('Could not insert it', async (storage) => {
      const shown = { ...snippet, ...this.shown(snippet) };
      const notebook = this.target === NEW_NOTEBOOK ? await notebookOfSnippet(storage, shown) : this.target;
      if (this.target !== NEW_NOTEBOOK) await insertSnippet(storage, notebook, shown);
      this.used();
      await this.acquire(navigateKey, formatHash('notebook/:id', { id: notebook }));
    });
  }

  private save(content: SnippetContent): Promise<void> {
    return this.act('The version was not saved', async (storage) => {
      const snippet = await updateSnippet(storage, this.docId, (current) => editSnippet(current, content, authorshipNow()));
      this.editing = false;
      this.loaded = this.loaded ? { ...this.loaded, snippet } : undefined;
      void this.acquire(navigateKey, formatHash('snippet/:id', { id: this.docId }), { replace: true });
    });
  }

  private restore(version: string): Promise<void> {
    return this.act('The version was not restored', async (storage) => {
      const snippet = await updateSnippet(storage, this.docId, (current) => restoreVersion(current, version, authorshipNow()));
      this.loaded = this.loaded ? { ...this.loaded, snippet } : undefined;
      void this.acquire(notifyKey, 'Restored as a new version.');
      void this.acquire(navigateKey, formatHash('snippet/:id', { id: this.docId }), { replace: true });
    });
  }

  private download(name: string, content: string): void {
    this.used();
    downloadFile([content], 'text/plain', name);
  }

  override render() {
    if (this.loadError) {
      return cannotOpen('This snippet', this.loadError, { href: '#/snippets', label: 'All snippets' });
    }
    const loaded = this.loaded;
    if (!loaded) return html`<p class="hint" role="status">Loading the snippet…</p>`;
    const { snippet } = loaded;
    if (this.editing) {
      return html`<fs-snippet-editor .snippet=${snippet} @save=${(event: CustomEvent<SnippetContent>) => void this.save(event.detail)} @cancel=${() => (this.editing = false)}></fs-snippet-editor>`;
    }
    const shown = this.shown(snippet);
    const old = shown !== snippet;
    const permalink = new URL(formatHash('snippet/:id', { id: this.docId, ...(old ? { version: (shown as SnippetVersion).version } : {}) }), location.href).href;
    return html`
      ${this.renderMerged(snippet)}
      ${old ? html`<p class="warning" role="note">This is an older version (${formatDate((shown as SnippetVersion).date)} by ${(shown as SnippetVersion).author}).
        <button @click=${() => void this.restore((shown as SnippetVersion).version)}>Restore this version</button>
        <a href=${formatHash('snippet/:id', { id: this.docId })}>Show the current version</a></p>` : nothing}
      <p class="blurb">${shown.blurb}</p>
      <p class="meta">
        ${shown.tags.map((tag) => html`<a class="tag" href=${formatHash('snippets', { tag })}>${tag}</a>`)}
        <span>by ${snippet.author}</span>
        ${snippet.forked_from ? html`<span>forked from <fs-doc-link doc-id=${snippet.forked_from.id}></fs-doc-link></span>` : nothing}
      </p>
      <div class="actions" role="toolbar" aria-label="Snippet">
        <button @click=${() => this.run()}>▶ Run</button>
        <button @click=${() => void this.fork(snippet)}>Fork</button>
        <button @click=${() => (this.editing = true)}>Edit</button>
        <span class="insert">
          <label><span class="visually-hidden">Notebook</span>
            <select aria-label="Notebook to insert into" @change=${(event: Event) => (this.target = (event.target as HTMLSelectElement).value)}>
              <option value=${NEW_NOTEBOOK} ?selected=${this.target === NEW_NOTEBOOK}>A new notebook</option>
              ${loaded.notebooks.map((notebook) => html`<option value=${notebook.id} ?selected=${this.target === notebook.id}>${notebook.title}</option>`)}
            </select>
          </label>
          <button @click=${() => void this.insert(snippet)}>Insert into notebook</button>
        </span>
      </div>
      <fs-snippet-run></fs-snippet-run>
      ${shown.files.map(
        (file) => html`<section class="file" aria-label=${`File ${file.name}`}>
          <div class="file-head"><span class="name">${file.name}</span>
            <button @click=${() => this.download(file.name, file.content)}>Download ${file.name}</button></div>
          <fs-code-editor aria-label=${`Code of ${file.name}`} .readOnly=${true} .language=${shown.language} .value=${file.content}></fs-code-editor>
        </section>`,
      )}
      <p class="permalink">Permalink: <a href=${permalink}>${permalink}</a></p>
      <h2 class="section">History</h2>
      <ol class="history" aria-label="History">
        ${[...snippet.versions].reverse().map((version) => this.renderVersion(snippet, version))}
      </ol>
      <h2 class="section">Forks</h2>
      ${loaded.forks.length === 0
        ? html`<p class="hint">No forks yet.</p>`
        : html`<ul class="forks" aria-label="Forks">${loaded.forks.map((fork) => html`<li><a href=${formatHash('snippet/:id', { id: fork.id })}>${fork.snippet.title}</a> by ${fork.snippet.author}</li>`)}</ul>`}
      ${SHIPPED.has(this.docId)
        ? html`<p class="hint">This snippet ships with the app (it comes back if deleted): fork it to make it your own.</p>`
        : html`<p><button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the snippet “${snippet.title}”`, '#/snippets')}>Delete</button></p>`}
    `;
  }

  /** After edits of one version on two devices were merged: both are kept, one shown; say so and offer the others. */
  private renderMerged(snippet: SnippetDocument) {
    const others = (snippet.other_heads ?? []).map((id) => snippet.versions.find((version) => version.version === id)).filter((version): version is SnippetVersion => version !== undefined);
    if (others.length === 0) return nothing;
    return html`<div class="warning merged" role="note">
      <p>This snippet was edited on two devices from the same version. Both edits are kept in its history: this page shows one, the other is:</p>
      <ul>${others.map((version) => html`<li>${version.title}, ${formatDate(version.date)} by ${version.author}
        <a href=${formatHash('snippet/:id', { id: this.docId, version: version.version })}>Show</a>
        <button @click=${() => void this.restore(version.version)}>Use this one</button></li>`)}</ul>
    </div>`;
  }

  private renderVersion(snippet: SnippetDocument, version: SnippetVersion) {
    const current = version.version === snippet.head;
    return html`<li class=${current ? 'current' : ''}>
      <a href=${formatHash('snippet/:id', current ? { id: this.docId } : { id: this.docId, version: version.version })}>${formatDate(version.date)}</a>
      by ${version.author}: ${version.title}${version.restored_from ? ' (restored)' : ''}${current ? html` <strong>(current)</strong>` : nothing}
      ${current ? nothing : html`<button class="restore" aria-label=${`Restore the version of ${formatDate(version.date)}`} @click=${() => void this.restore(version.version)}>Restore</button>`}
    </li>`;
  }

  static override styles = [
    pageStyles,
    css`
      .blurb { font-size: 1.05rem; margin: 0 0 0.25rem; }
      .meta { display: flex; flex-wrap: wrap; gap: 0.75rem; color: var(--muted, #4a5f66); font-size: 0.9rem; }
      .tag { font-family: ui-monospace, monospace; }
      .actions, .insert, .file-head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
      .file { margin-top: 0.75rem; }
      .name { font-family: ui-monospace, monospace; font-weight: 600; }
      fs-code-editor { display: block; border: 1px solid var(--border, #c9d6da); border-radius: 4px; margin-top: 0.3rem; font-size: 0.9rem; }
      .history, .forks { padding-left: 1.2rem; }
      .history li { margin: 0.3rem 0; }
      .history button.restore { min-height: 32px; padding: 0 0.6rem; margin-left: 0.4rem; }
      .permalink { overflow-wrap: anywhere; font-size: 0.9rem; }
      .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    `,
  ];
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

customElements.define('fs-snippet-page', SnippetPage);
